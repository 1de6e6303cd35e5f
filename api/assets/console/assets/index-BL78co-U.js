var Re,O,Sn,te,nn,An,xn,Te,be,me,Rn,He,Oe,qe,In,ke={},Ce=[],Jn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,Ie=Array.isArray;function Z(n,t){for(var r in t)n[r]=t[r];return n}function We(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function Yn(n,t,r){var s,a,o,d={};for(o in t)o=="key"?s=t[o]:o=="ref"?a=t[o]:d[o]=t[o];if(arguments.length>2&&(d.children=arguments.length>3?Re.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(o in n.defaultProps)d[o]===void 0&&(d[o]=n.defaultProps[o]);return _e(n,d,s,a,null)}function _e(n,t,r,s,a){var o={type:n,props:t,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++Sn,__i:-1,__u:0};return a==null&&O.vnode!=null&&O.vnode(o),o}function W(n){return n.children}function we(n,t){this.props=n,this.context=t}function ie(n,t){if(t==null)return n.__?ie(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?ie(n):null}function Gn(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,s=[],a=[],o=Z({},t);o.__v=t.__v+1,O.vnode&&O.vnode(o),Ke(n.__P,o,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,s,r??ie(t),!!(32&t.__u),a),o.__v=t.__v,o.__.__k[o.__i]=o,Mn(s,o,a),t.__e=t.__=null,o.__e!=r&&Pn(o)}}function Pn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),Pn(n)}function Ue(n){(!n.__d&&(n.__d=!0)&&te.push(n)&&!Se.__r++||nn!=O.debounceRendering)&&((nn=O.debounceRendering)||An)(Se)}function Se(){try{for(var n,t=1;te.length;)te.length>t&&te.sort(xn),n=te.shift(),t=te.length,Gn(n)}finally{te.length=Se.__r=0}}function Dn(n,t,r,s,a,o,d,m,c,l,y){var u,i,p,h,v,k,I=s&&s.__k||Ce,_=t.length;for(c=Xn(r,t,I,c,_),u=0;u<_;u++)(p=r.__k[u])!=null&&(i=p.__i!=-1&&I[p.__i]||ke,p.__i=u,k=Ke(n,p,i,a,o,d,m,c,l,y),h=p.__e,p.ref&&i.ref!=p.ref&&(i.ref&&je(i.ref,null,p),y.push(p.ref,p.__c||h,p)),v==null&&h!=null&&(v=h),4&p.__u?(c=Tn(p,c,n),i.__e&&(i.__e=null)):typeof p.type=="function"&&k!==void 0?c=k:h&&(c=h.nextSibling),p.__u&=-7);return r.__e=v,c}function Xn(n,t,r,s,a){var o,d,m,c,l,y=r.length,u=y,i=0;for(n.__k=new Array(a),o=0;o<a;o++)(d=t[o])!=null&&typeof d!="boolean"&&typeof d!="function"?(typeof d=="string"||typeof d=="number"||typeof d=="bigint"||d.constructor==String?d=n.__k[o]=_e(null,d,null,null,null):Ie(d)?d=n.__k[o]=_e(W,{children:d},null,null,null):d.constructor===void 0&&d.__b>0?d=n.__k[o]=_e(d.type,d.props,d.key,d.ref?d.ref:null,d.__v):n.__k[o]=d,c=o+i,d.__=n,d.__b=n.__b+1,m=null,(l=d.__i=Zn(d,r,c,u))!=-1&&(u--,(m=r[l])&&(m.__u|=2)),m==null||m.__v==null?(l==-1&&(a>y?i--:a<y&&i++),typeof d.type!="function"&&(d.__u|=4)):l!=c&&(l==c-1?i--:l==c+1?i++:(l>c?i--:i++,d.__u|=4))):n.__k[o]=null;if(u)for(o=0;o<y;o++)(m=r[o])!=null&&(2&m.__u)==0&&(m.__e==s&&(s=ie(m)),qn(m,m));return s}function Tn(n,t,r){var s,a;if(typeof n.type=="function"){for(s=n.__k,a=0;s&&a<s.length;a++)s[a]&&(s[a].__=n,t=Tn(s[a],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=ie(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Zn(n,t,r,s){var a,o,d,m=n.key,c=n.type,l=t[r],y=l!=null&&(2&l.__u)==0;if(l===null&&m==null||y&&m==l.key&&c==l.type)return r;if(s>(y?1:0)){for(a=r-1,o=r+1;a>=0||o<t.length;)if((l=t[d=a>=0?a--:o++])!=null&&(2&l.__u)==0&&m==l.key&&c==l.type)return d}return-1}function tn(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||Jn.test(t)?r:r+"px"}function ge(n,t,r,s,a){var o,d;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof s=="string"&&(n.style.cssText=s=""),s)for(t in s)r&&t in r||tn(n.style,t,"");if(r)for(t in r)s&&r[t]==s[t]||tn(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")o=t!=(t=t.replace(Rn,"$1")),d=t.toLowerCase(),t=d in n||t=="onFocusOut"||t=="onFocusIn"?d.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+o]=r,r?s?r[me]=s[me]:(r[me]=He,n.addEventListener(t,o?qe:Oe,o)):n.removeEventListener(t,o?qe:Oe,o);else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function rn(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[be]==null)t[be]=He++;else if(t[be]<r[me])return;return r(O.event?O.event(t):t)}}}function Ke(n,t,r,s,a,o,d,m,c,l){var y,u,i,p,h,v,k,I,_,f,b,S,g,x,L,Q,K=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(c=!!(32&r.__u),o=[m=t.__e=r.__e]),(y=O.__b)&&y(t);e:if(typeof K=="function"){u=d.length;try{if(_=t.props,f=K.prototype&&K.prototype.render,b=(y=K.contextType)&&s[y.__c],S=y?b?b.props.value:y.__:s,r.__c?I=(i=t.__c=r.__c).__=i.__E:(f?t.__c=i=new K(_,S):(t.__c=i=new we(_,S),i.constructor=K,i.render=nt),b&&b.sub(i),i.state||(i.state={}),i.__n=s,p=i.__d=!0,i.__h=[],i._sb=[]),f&&i.__s==null&&(i.__s=i.state),f&&K.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=Z({},i.__s)),Z(i.__s,K.getDerivedStateFromProps(_,i.__s))),h=i.props,v=i.state,i.__v=t,p)f&&K.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),f&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(f&&K.getDerivedStateFromProps==null&&_!==h&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(_,S),t.__v==r.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(_,i.__s,S)===!1){t.__v!=r.__v&&(i.props=_,i.state=i.__s,i.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(A){A&&(A.__=t)}),Ce.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&d.push(i),m=ie(r);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(_,i.__s,S),f&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(h,v,k)})}if(i.context=S,i.props=_,i.__P=n,i.__e=!1,g=O.__r,x=0,f)i.state=i.__s,i.__d=!1,g&&g(t),y=i.render(i.props,i.state,i.context),Ce.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,g&&g(t),y=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++x<25);i.state=i.__s,i.getChildContext!=null&&(s=Z(Z({},s),i.getChildContext())),f&&!p&&i.getSnapshotBeforeUpdate!=null&&(k=i.getSnapshotBeforeUpdate(h,v)),L=y!=null&&y.type===W&&y.key==null?On(y.props.children):y,m=Dn(n,Ie(L)?L:[L],t,r,s,a,o,d,m,c,l),i.base=t.__e,t.__u&=-161,i.__h.length&&d.push(i),I&&(i.__E=i.__=null)}catch(A){if(d.length=u,t.__v=null,c||o!=null){if(A.then){for(t.__u|=c?160:128;m&&m.nodeType==8&&m.nextSibling;)m=m.nextSibling;o!=null&&(o[o.indexOf(m)]=null),t.__e=m}else if(o!=null)for(Q=o.length;Q--;)We(o[Q])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),A.then||Nn(t),O.__e(A,t,r)}}else o==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):m=t.__e=et(r.__e,t,r,s,a,o,d,c,l);return(y=O.diffed)&&y(t),128&t.__u?void 0:m}function Nn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(Nn))}function Mn(n,t,r){for(var s=0;s<r.length;s++)je(r[s],r[++s],r[++s]);O.__c&&O.__c(t,n),n.some(function(a){try{n=a.__h,a.__h=[],n.some(function(o){o.call(a)})}catch(o){O.__e(o,a.__v)}})}function On(n){return typeof n!="object"||n==null||n.__b>0?n:Ie(n)?n.map(On):n.constructor!==void 0?null:Z({},n)}function et(n,t,r,s,a,o,d,m,c){var l,y,u,i,p,h,v,k=r.props||ke,I=t.props,_=t.type;if(_=="svg"?a="http://www.w3.org/2000/svg":_=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),o!=null){for(l=0;l<o.length;l++)if((p=o[l])&&"setAttribute"in p==!!_&&(_?p.localName==_:p.nodeType==3)){n=p,o[l]=null;break}}if(n==null){if(_==null)return document.createTextNode(I);n=document.createElementNS(a,_,I.is&&I),m&&(O.__m&&O.__m(t,o),m=!1),o=null}if(_==null)k===I||m&&n.data==I||(n.data=I);else{if(o=_=="textarea"&&I.defaultValue!=null?null:o&&Re.call(n.childNodes),!m&&o!=null)for(k={},l=0;l<n.attributes.length;l++)k[(p=n.attributes[l]).name]=p.value;for(l in k)p=k[l],l=="dangerouslySetInnerHTML"?u=p:l=="children"||l in I||l=="value"&&"defaultValue"in I||l=="checked"&&"defaultChecked"in I||ge(n,l,null,p,a);for(l in I)p=I[l],l=="children"?i=p:l=="dangerouslySetInnerHTML"?y=p:l=="value"?h=p:l=="checked"?v=p:m&&typeof p!="function"||k[l]===p||ge(n,l,p,k[l],a);if(y)m||u&&(y.__html==u.__html||y.__html==n.innerHTML)||(n.innerHTML=y.__html),t.__k=[];else if(u&&(n.innerHTML=""),Dn(t.type=="template"?n.content:n,Ie(i)?i:[i],t,r,s,_=="foreignObject"?"http://www.w3.org/1999/xhtml":a,o,d,o?o[0]:r.__k&&ie(r,0),m,c),o!=null)for(l=o.length;l--;)We(o[l]);m&&_!="textarea"||(l="value",_=="progress"&&h==null?n.removeAttribute("value"):h!=null&&(h!==n[l]||_=="progress"&&!h||_=="option"&&h!=k[l])&&ge(n,l,h,k[l],a),l="checked",v!=null&&v!=n[l]&&ge(n,l,v,k[l],a))}return n}function je(n,t,r){try{if(typeof n=="function"){var s=typeof n.__u=="function";s&&n.__u(),s&&t==null||(n.__u=n(t))}else n.current=t}catch(a){O.__e(a,r)}}function qn(n,t,r){var s,a;if(O.unmount&&O.unmount(n),(s=n.ref)&&(s.current&&s.current!=n.__e||je(s,null,t)),(s=n.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(o){O.__e(o,t)}s.base=s.__P=s.__n=null}if(s=n.__k)for(a=0;a<s.length;a++)s[a]&&qn(s[a],t,r||typeof n.type!="function");r||We(n.__e),n.__c=n.__=n.__e=void 0}function nt(n,t,r){return this.constructor(n,r)}function tt(n,t,r){var s,a,o,d;t==document&&(t=document.documentElement),O.__&&O.__(n,t),a=(s=!1)?null:t.__k,o=[],d=[],Ke(t,n=t.__k=Yn(W,null,[n]),a||ke,ke,t.namespaceURI,a?null:t.firstChild?Re.call(t.childNodes):null,o,a?a.__e:t.firstChild,s,d),Mn(o,n,d),n.props.children=null}function rt(n){function t(r){var s,a;return this.getChildContext||(s=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){s=null},this.shouldComponentUpdate=function(o){this.props.value!=o.value&&s.forEach(function(d){d.__e=!0,Ue(d)})},this.sub=function(o){s.add(o);var d=o.componentWillUnmount;o.componentWillUnmount=function(){s&&s.delete(o),d&&d.call(o)}}),r.children}return t.__c="__cC"+In++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,s){return r.children(s)}).contextType=t,t}Re=Ce.slice,O={__e:function(n,t,r,s){for(var a,o,d;t=t.__;)if((a=t.__c)&&!a.__)try{if((o=a.constructor)&&o.getDerivedStateFromError!=null&&(a.setState(o.getDerivedStateFromError(n)),d=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(n,s||{}),d=a.__d),d)return a.__E=a}catch(m){n=m}throw n}},Sn=0,we.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=Z({},this.state),typeof n=="function"&&(n=n(Z({},r),this.props)),n&&Z(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),Ue(this))},we.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),Ue(this))},we.prototype.render=W,te=[],An=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,xn=function(n,t){return n.__v.__b-t.__v.__b},Se.__r=0,Te=Math.random().toString(8),be="__d"+Te,me="__a"+Te,Rn=/(PointerCapture)$|Capture$/i,He=0,Oe=rn(!1),qe=rn(!0),In=0;var st=0;function e(n,t,r,s,a,o){t||(t={});var d,m,c=t;if("ref"in c)for(m in c={},t)m=="ref"?d=t[m]:c[m]=t[m];var l={type:n,props:c,key:r,ref:d,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--st,__i:-1,__u:0,__source:a,__self:o};if(typeof n=="function"&&(d=n.defaultProps))for(m in d)c[m]===void 0&&(c[m]=d[m]);return O.vnode&&O.vnode(l),l}var le,U,Ne,sn,pe=0,Un=[],F=O,an=F.__b,on=F.__r,ln=F.diffed,cn=F.__c,dn=F.unmount,un=F.__;function Pe(n,t){F.__h&&F.__h(U,n,pe||t),pe=0;var r=U.__H||(U.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function w(n){return pe=1,it(Fn,n)}function it(n,t,r){var s=Pe(le++,2);if(s.t=n,!s.__c&&(s.__=[Fn(void 0,t),function(m){var c=s.__N?s.__N[0]:s.__[0],l=s.t(c,m);c!==l&&(s.__N=[l,s.__[1]],s.__c.setState({}))}],s.__c=U,!U.__f)){var a=function(m,c,l){if(!s.__c.__H)return!0;var y=!1,u=s.__c.props!==m;if(s.__c.__H.__.some(function(p){if(p.__N){y=!0;var h=p.__[0];p.__=p.__N,p.__N=void 0,h!==p.__[0]&&(u=!0)}}),o){var i=o.call(this,m,c,l);return y?i||u:i}return!y||u};U.__f=!0;var o=U.shouldComponentUpdate,d=U.componentWillUpdate;U.componentWillUpdate=function(m,c,l){if(this.__e){var y=o;o=void 0,a(m,c,l),o=y}d&&d.call(this,m,c,l)},U.shouldComponentUpdate=a}return s.__N||s.__}function G(n,t){var r=Pe(le++,3);!F.__s&&Bn(r.__H,t)&&(r.__=n,r.u=t,U.__H.__h.push(r))}function he(n){return pe=5,Ln(function(){return{current:n}},[])}function Ln(n,t){var r=Pe(le++,7);return Bn(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function at(n,t){return pe=8,Ln(function(){return n},t)}function ot(n){var t=U.context[n.__c],r=Pe(le++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(U)),t.props.value):n.__}function lt(){for(var n;n=Un.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some($e),t.__h.some(Le),t.__h=[]}catch(r){t.__h=[],F.__e(r,n.__v)}}}F.__b=function(n){U=null,an&&an(n)},F.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),un&&un(n,t)},F.__r=function(n){on&&on(n),le=0;var t=(U=n.__c).__H;t&&(Ne===U?(t.__h=[],U.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some($e),t.__h.some(Le),t.__h=[],le=0)),Ne=U},F.diffed=function(n){ln&&ln(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&(Un.push(t)!==1&&sn===F.requestAnimationFrame||((sn=F.requestAnimationFrame)||ct)(lt)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Ne=U=null},F.__c=function(n,t){t.some(function(r){try{r.__h.some($e),r.__h=r.__h.filter(function(s){return!s.__||Le(s)})}catch(s){t.some(function(a){a.__h&&(a.__h=[])}),t=[],F.__e(s,r.__v)}}),cn&&cn(n,t)},F.unmount=function(n){dn&&dn(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(s){try{$e(s)}catch(a){t=a}}),r.__H=void 0,t&&F.__e(t,r.__v))};var hn=typeof requestAnimationFrame=="function";function ct(n){var t,r=function(){clearTimeout(s),hn&&cancelAnimationFrame(t),setTimeout(n)},s=setTimeout(r,35);hn&&(t=requestAnimationFrame(r))}function $e(n){var t=U,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),U=t}function Le(n){var t=U;n.__c=n.__(),U=t}function Bn(n,t){return!n||n.length!==t.length||t.some(function(r,s){return r!==n[s]})}function Fn(n,t){return typeof t=="function"?t(n):t}const dt={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record.",concurrent_update:"Someone else changed this record a moment ago. Reload and try again.",already_exists:"A record with the same name or key already exists.",email_taken:"A user with this e-mail already exists.",role_not_grantable:"Your role cannot give that role to someone.",last_owner:"The workspace needs at least one active owner.",insufficient_scope:"Your role does not allow this.",complaint_closed:"This complaint is closed: reopen it before resolving it.",complaint_changed:"Someone else changed this complaint a moment ago. Reload it and try again.",invalid_status_transition:"The complaint cannot go to that status from the one it is in.",compensation_over_limit:"That compensation is more than your role may grant; ask a manager.",order_fully_refunded:"The complaint’s order is already fully refunded.",voucher_not_issued:"The voucher could not be issued to this customer.",voucher_already_held:"The customer already holds an open voucher of this offer.",voucher_not_open:"This voucher is no longer open.",offer_inactive:"The offer is paused: activate it first.",offer_ended:"The offer has ended.",offer_not_started:"The offer has not started yet.",offer_budget_exhausted:"The offer’s budget is spent.",offer_redemption_cap_reached:"The offer has reached its number of redemptions.",offer_not_eligible:"This customer does not meet the offer’s conditions."};function se(n,t,r){const s=dt[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const a=r?` (${r})`:"";return t?`${mn(t)}${a}.`.replace(/\.\.$/,"."):`${s??""}${a}`}return s||(t?`${mn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function mn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let X=null,ve=null;const Ae=new Set;class ee extends Error{constructor(t,r,s){super(r),this.code=t,this.field=s}code;field}function ut(n){return Ae.add(n),()=>Ae.delete(n)}function ht(){return X!==null}function En(n){X={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function ze(){const n=X!==null;X=null,n&&Ae.forEach(t=>t(!1))}async function Qe(n){let t=`http_${n.status}`,r="",s;try{const a=await n.json();t=a.code??t,r=a.detail??"",s=a.errors?.[0]?.field}catch{}return new ee(t,se(t,r,s),s)}async function Je(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new ee("network",se("network","",void 0))}}async function mt(n,t){const r=await Je("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await Qe(r);En(await r.json()),Ae.forEach(s=>s(!0))}async function pn(){if(!X)throw new ee("unauthenticated",se("unauthenticated","",void 0));if(!ve){const n=X.refresh;ve=(async()=>{const t=await Je("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await Qe(t);throw ze(),r}En(await t.json())})().finally(()=>{ve=null})}return ve}async function Vn(){const n=X;ze(),n&&await Je("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const fn=new Set(["unauthenticated","token_expired","session_ended"]);async function T(n,t){for(let r=0;;r++){if(!X)throw new ee("unauthenticated",se("unauthenticated","",void 0));Date.now()>=X.expiresAt&&await pn();const s=X?.access??"";let a;try{a=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${s}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new ee("network",se("network","",void 0))}if(!a.ok)throw await Qe(a);const o=await a.json(),d=o.errors?.[0];if(d){const m=d.extensions?.code??"internal_error";if(fn.has(m)&&r===0&&m!=="session_ended"){await pn();continue}throw fn.has(m)&&ze(),new ee(m,se(m,d.message,d.extensions?.field))}if(o.data==null)throw new ee("internal_error",se("internal_error","",void 0));return o.data}}function ae(){return crypto.randomUUID()}let Ye="EUR";function z(n){return typeof n=="number"?n:Number(n)}function pt(n){Ye=n}function C(n,t=Ye){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(z(n)/100)}catch{return`${(z(n)/100).toFixed(2)} ${t}`}}function ne(n,t=Ye){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(z(n)/100)}catch{return`${Math.round(z(n)/100)} ${t}`}}function q(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function $(n){return new Intl.NumberFormat("en-GB").format(z(n))}function M(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function Hn(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function R(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class P extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new P(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `,{fragmentName:"ArmComparisonParts"});new P(`
    fragment AccountProfitRow on AccountProfit {
  accountId
  name
  rfmSegment
  revenue
  margin
  acquisitionCost
  costToServe
  profit
}
    `,{fragmentName:"AccountProfitRow"});new P(`
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
    `,{fragmentName:"ComplaintRow"});new P(`
    fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}
    `,{fragmentName:"ScoreParts"});const ft=new P(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `),yt=new P(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),gt=new P(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`),vt=new P(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),bt=new P(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `),_t=new P(`
    query Cohorts($from: String!) {
  cohortReport(period: "month", from: $from) {
    currency
    cohorts {
      cohort
      customers
      periods {
        periodNumber
        period
        activeCustomers
        retention
        cumulativeRevenuePerCustomer
      }
    }
  }
}
    `),wt=new P(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
    nextBestOffers {
      offer {
        id
        name
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
      }
      expectedIncrementalMargin
      explanation
    }
    recommendations(limit: 5) {
      data {
        sku
        name
        reason
        explanation
      }
    }
    satisfaction {
      nps
      npsCategory
      npsAt
      csat
      csatAt
      ces
      cesAt
      responses
      openComplaints
    }
    feedback(first: 5) {
      nodes {
        id
        nps
        csat
        ces
        touchpoint
        channel
        comment
        occurredAt
      }
    }
    complaints(first: 5) {
      nodes {
        id
        subject
        status
        severity
        openedAt
        firstResponseBreached
        resolutionBreached
      }
    }
  }
  accountOffers(accountId: $id, stateFilter: "all", first: 8) {
    nodes {
      voucher {
        id
        code
        state
        validUntil
        issuedAt
        redeemedAt
      }
      offer {
        name
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyProgram {
    currency
    qualification
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `),$t=new P(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `),kt=new P(`
    query Data {
  importJobs(first: 50) {
    nodes {
      id
      type
      format
      status
      dryRun
      rowsRead
      rowsCreated
      rowsUpdated
      rowsUnchanged
      rowsFailed
      error {
        code
        message
      }
      createdAt
      startedAt
      finishedAt
    }
    pageInfo {
      hasNextPage
    }
  }
  accountDuplicates(first: 50) {
    nodes {
      accountId
      accountName
      duplicateId
      duplicateName
      score
      reasons {
        kind
        value
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    `),Ct=new P(`
    query Economics {
  profitabilityReport(limit: 10) {
    currency
    asOf
    customers
    profitableCustomers
    unprofitableCustomers
    breakEvenCustomers
    totals {
      revenue
      margin
      acquisitionCost
      costToServe
      profit
    }
    deciles {
      decile
      customers
      totals {
        profit
      }
      shareOfProfit
    }
    byRfmSegment {
      rfmSegment
      customers
      totals {
        profit
      }
      simpleClv
      modelClv
      customersWithPrediction
    }
    mostProfitable {
      ...AccountProfitRow
    }
    leastProfitable {
      ...AccountProfitRow
    }
  }
  acquisitionReport {
    currency
    startsAt
    endsBefore
    unallocatedSpend
    channels {
      acquisitionChannel
      customers
      marketingSpend
      cac
      averageClv
      averageClv36Months
      clvToCac
      paybackMonths
    }
  }
  valueDistribution {
    currency
    revenue {
      customers
      histogram {
        lower
        customers
      }
    }
    clv {
      customers
      histogram {
        lower
        customers
      }
    }
  }
}
    fragment AccountProfitRow on AccountProfit {
  accountId
  name
  rfmSegment
  revenue
  margin
  acquisitionCost
  costToServe
  profit
}`),St=new P(`
    query Feedback {
  satisfactionReport(period: "month", detractorsLimit: 5) {
    currency
    startsAt
    endsBefore
    overall {
      ...ScoreParts
    }
    overTime {
      key
      scores {
        ...ScoreParts
      }
    }
    byTouchpoint {
      key
      scores {
        ...ScoreParts
      }
    }
    byChannel {
      key
      scores {
        ...ScoreParts
      }
    }
    complaints {
      opened
      resolved
      active
      firstResponseSlaMet
      resolutionSlaMet
      firstResponseMinutesMedian
      resolutionMinutesMedian
    }
    detractorsAtRisk {
      accountId
      name
      nps
      valueAtRisk
    }
  }
  complaints(first: 50) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}`),At=new P(`
    query Complaints($status: String) {
  complaints(first: 50, status: $status) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}`),xt=new P(`
    query ComplaintDetail($id: ID!) {
  complaint(id: $id) {
    id
    accountId
    orderId
    feedbackId
    category
    severity
    channel
    subject
    description
    status
    openedAt
    firstResponseDueAt
    resolutionDueAt
    firstRespondedAt
    resolvedAt
    closedAt
    firstResponseBreached
    resolutionBreached
    outcome
  }
  complaintHistory(id: $id) {
    id
    kind
    fromStatus
    toStatus
    body
    actorType
    occurredAt
  }
}
    `),Rt=new P(`
    mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
  resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
    complaint {
      id
      status
    }
    compensations {
      kind
      points
      amount
      currency
      paidNow
    }
  }
}
    `),It=new P(`
    query Loyalty {
  loyaltyProgram {
    currency
    active
    earnRate {
      numerator
      denominator
    }
    qualification
    qualificationWindowDays
    expiryMonths
    pendingDays
    tiers {
      name
      threshold
      multiplierPermille
      benefits
    }
  }
  loyaltyRewards(first: 100) {
    nodes {
      id
      name
      description
      pointsCost
      stock
      availableUntil
    }
  }
}
    `),Pt=new P(`
    query Offers {
  offers(first: 200) {
    nodes {
      id
      name
      description
      kind
      percent
      amount
      currency
      points
      pointsMultiplier
      benefit
      status
      issued
      redemptions
      spent
      budget
      campaignId
      validUntil
      voucherValidDays
      version
    }
  }
  campaigns(first: 100) {
    nodes {
      id
      name
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),Dt=new P(`
    mutation CreateOffer($input: OfferInput!, $key: String) {
  createOffer(input: $input, idempotencyKey: $key) {
    id
    name
    status
  }
}
    `),Tt=new P(`
    mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
  updateOffer(id: $id, patch: $patch, ifVersion: $version) {
    id
    status
  }
}
    `),Nt=new P(`
    mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
  issueOffer(id: $id, input: $input, idempotencyKey: $key) {
    issued
    alreadyHolding
    ineligible
  }
}
    `),Mt=new P(`
    query Overview($from: String!) {
  valueDistribution {
    currency
    revenue {
      customers
      total
      concentration {
        topPercent
        share
      }
    }
    clv {
      customers
      total
    }
  }
  churnReport(period: "month", from: $from) {
    currency
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
      revenue
      margin
    }
    expected {
      expectedChurnRate
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    pageInfo {
      hasNextPage
    }
    nodes {
      amount
      currency
    }
  }
  satisfactionReport(period: "month", detractorsLimit: 1) {
    overall {
      nps
      npsResponses
    }
    overTime {
      key
      scores {
        nps
      }
    }
  }
  atRiskAccounts(first: 5) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
    }
  }
}
    `),Ot=new P(`
    query Board {
  pipelines(first: 20) {
    nodes {
      id
      name
      stages {
        id
        name
        kind
        probability
      }
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      pipelineId
      stageId
      version
      expectedCloseOn
    }
  }
}
    `),qt=new P(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `),Ut=new P(`
    query Segments {
  segments(first: 100) {
    nodes {
      id
      name
      description
      rule
      tracked
      createdAt
    }
  }
}
    `),Lt=new P(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),Bt=new P(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),Ft=new P(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
      version
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `),Et=new P(`
    mutation CreateUser($input: NewUser!) {
  createUser(input: $input) {
    id
    name
    role
  }
}
    `),Vt=new P(`
    mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
  updateUser(id: $id, input: {disabled: $disabled}) {
    id
    disabled
  }
}
    `),Ht=new P(`
    mutation CreateApiKey($input: NewApiKey!) {
  createApiKey(input: $input) {
    id
    name
    scopes
    secret
  }
}
    `),Wt=new P(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `),Kt=new P(`
    mutation CreateWebhook($input: NewWebhook!) {
  createWebhook(input: $input) {
    id
    url
    secret
  }
}
    `),jt=new P(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id)
}
    `),zt=new P(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `),Qt=new P(`
    query Value {
  rfmSegments {
    currency
    breakpointsFittedAt
    scoredAccounts
    unscoredAccounts
    segments {
      segment
      label
      accounts
      revenue
      shareOfAccounts
      shareOfRevenue
    }
  }
  valueDistribution {
    currency
    clv {
      customers
      histogram {
        lower
        upper
        customers
      }
    }
  }
  atRiskAccounts(first: 20) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
      riskBand
      clv
      revenue
      segment
    }
  }
}
    `),Jt={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":ft,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":yt,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":gt,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":vt,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":bt,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':_t,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n      nextBestOffers {\n        offer {\n          id\n          name\n          kind\n          percent\n          amount\n          currency\n          points\n          pointsMultiplier\n          benefit\n        }\n        expectedIncrementalMargin\n        explanation\n      }\n      recommendations(limit: 5) {\n        data {\n          sku\n          name\n          reason\n          explanation\n        }\n      }\n      satisfaction {\n        nps\n        npsCategory\n        npsAt\n        csat\n        csatAt\n        ces\n        cesAt\n        responses\n        openComplaints\n      }\n      feedback(first: 5) {\n        nodes {\n          id\n          nps\n          csat\n          ces\n          touchpoint\n          channel\n          comment\n          occurredAt\n        }\n      }\n      complaints(first: 5) {\n        nodes {\n          id\n          subject\n          status\n          severity\n          openedAt\n          firstResponseBreached\n          resolutionBreached\n        }\n      }\n    }\n    accountOffers(accountId: $id, stateFilter: "all", first: 8) {\n      nodes {\n        voucher {\n          id\n          code\n          state\n          validUntil\n          issuedAt\n          redeemedAt\n        }\n        offer {\n          name\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyProgram {\n      currency\n      qualification\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':wt,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':$t,"\n  query Data {\n    importJobs(first: 50) {\n      nodes {\n        id\n        type\n        format\n        status\n        dryRun\n        rowsRead\n        rowsCreated\n        rowsUpdated\n        rowsUnchanged\n        rowsFailed\n        error {\n          code\n          message\n        }\n        createdAt\n        startedAt\n        finishedAt\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    accountDuplicates(first: 50) {\n      nodes {\n        accountId\n        accountName\n        duplicateId\n        duplicateName\n        score\n        reasons {\n          kind\n          value\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n":kt,"\n  query Economics {\n    profitabilityReport(limit: 10) {\n      currency\n      asOf\n      customers\n      profitableCustomers\n      unprofitableCustomers\n      breakEvenCustomers\n      totals {\n        revenue\n        margin\n        acquisitionCost\n        costToServe\n        profit\n      }\n      deciles {\n        decile\n        customers\n        totals {\n          profit\n        }\n        shareOfProfit\n      }\n      byRfmSegment {\n        rfmSegment\n        customers\n        totals {\n          profit\n        }\n        simpleClv\n        modelClv\n        customersWithPrediction\n      }\n      mostProfitable {\n        ...AccountProfitRow\n      }\n      leastProfitable {\n        ...AccountProfitRow\n      }\n    }\n    acquisitionReport {\n      currency\n      startsAt\n      endsBefore\n      unallocatedSpend\n      channels {\n        acquisitionChannel\n        customers\n        marketingSpend\n        cac\n        averageClv\n        averageClv36Months\n        clvToCac\n        paybackMonths\n      }\n    }\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        histogram {\n          lower\n          customers\n        }\n      }\n      clv {\n        customers\n        histogram {\n          lower\n          customers\n        }\n      }\n    }\n  }\n\n  fragment AccountProfitRow on AccountProfit {\n    accountId\n    name\n    rfmSegment\n    revenue\n    margin\n    acquisitionCost\n    costToServe\n    profit\n  }\n":Ct,'\n  query Feedback {\n    satisfactionReport(period: "month", detractorsLimit: 5) {\n      currency\n      startsAt\n      endsBefore\n      overall {\n        ...ScoreParts\n      }\n      overTime {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byTouchpoint {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byChannel {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      complaints {\n        opened\n        resolved\n        active\n        firstResponseSlaMet\n        resolutionSlaMet\n        firstResponseMinutesMedian\n        resolutionMinutesMedian\n      }\n      detractorsAtRisk {\n        accountId\n        name\n        nps\n        valueAtRisk\n      }\n    }\n    complaints(first: 50) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n  fragment ComplaintRow on Complaint {\n    id\n    accountId\n    subject\n    category\n    severity\n    status\n    openedAt\n    resolutionDueAt\n    firstResponseBreached\n    resolutionBreached\n  }\n  fragment ScoreParts on Scores {\n    npsResponses\n    promoters\n    passives\n    detractors\n    nps\n    npsLow\n    npsHigh\n    csatResponses\n    csatAverage\n    csatSatisfiedShare\n    cesResponses\n    cesAverage\n  }\n':St,"\n  query Complaints($status: String) {\n    complaints(first: 50, status: $status) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n":At,"\n  query ComplaintDetail($id: ID!) {\n    complaint(id: $id) {\n      id\n      accountId\n      orderId\n      feedbackId\n      category\n      severity\n      channel\n      subject\n      description\n      status\n      openedAt\n      firstResponseDueAt\n      resolutionDueAt\n      firstRespondedAt\n      resolvedAt\n      closedAt\n      firstResponseBreached\n      resolutionBreached\n      outcome\n    }\n    complaintHistory(id: $id) {\n      id\n      kind\n      fromStatus\n      toStatus\n      body\n      actorType\n      occurredAt\n    }\n  }\n":xt,"\n  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {\n    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {\n      complaint {\n        id\n        status\n      }\n      compensations {\n        kind\n        points\n        amount\n        currency\n        paidNow\n      }\n    }\n  }\n":Rt,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":It,"\n  query Offers {\n    offers(first: 200) {\n      nodes {\n        id\n        name\n        description\n        kind\n        percent\n        amount\n        currency\n        points\n        pointsMultiplier\n        benefit\n        status\n        issued\n        redemptions\n        spent\n        budget\n        campaignId\n        validUntil\n        voucherValidDays\n        version\n      }\n    }\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Pt,"\n  mutation CreateOffer($input: OfferInput!, $key: String) {\n    createOffer(input: $input, idempotencyKey: $key) {\n      id\n      name\n      status\n    }\n  }\n":Dt,"\n  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {\n    updateOffer(id: $id, patch: $patch, ifVersion: $version) {\n      id\n      status\n    }\n  }\n":Tt,"\n  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {\n    issueOffer(id: $id, input: $input, idempotencyKey: $key) {\n      issued\n      alreadyHolding\n      ineligible\n    }\n  }\n":Nt,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      currency\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n        revenue\n        margin\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        amount\n        currency\n      }\n    }\n    satisfactionReport(period: "month", detractorsLimit: 1) {\n      overall {\n        nps\n        npsResponses\n      }\n      overTime {\n        key\n        scores {\n          nps\n        }\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':Mt,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':Ot,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":qt,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":Ut,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":Lt,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":Bt,"\n  query Settings {\n    users(first: 100) {\n      nodes {\n        id\n        name\n        email\n        role\n        disabled\n        lastLoginAt\n        version\n      }\n    }\n    apiKeys(first: 100) {\n      nodes {\n        id\n        name\n        prefix\n        scopes\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n    webhooks(first: 50) {\n      nodes {\n        id\n        url\n        description\n        eventTypes\n        enabled\n        disabledReason\n      }\n    }\n  }\n":Ft,"\n  mutation CreateUser($input: NewUser!) {\n    createUser(input: $input) {\n      id\n      name\n      role\n    }\n  }\n":Et,"\n  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {\n    updateUser(id: $id, input: { disabled: $disabled }) {\n      id\n      disabled\n    }\n  }\n":Vt,"\n  mutation CreateApiKey($input: NewApiKey!) {\n    createApiKey(input: $input) {\n      id\n      name\n      scopes\n      secret\n    }\n  }\n":Ht,"\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n":Wt,"\n  mutation CreateWebhook($input: NewWebhook!) {\n    createWebhook(input: $input) {\n      id\n      url\n      secret\n    }\n  }\n":Kt,"\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n":jt,"\n  query WebhookDeliveries($id: ID!) {\n    webhookDeliveries(webhookId: $id, first: 20) {\n      nodes {\n        id\n        eventType\n        attempt\n        trigger\n        outcome\n        statusCode\n        latencyMs\n        error\n        createdAt\n      }\n    }\n  }\n":zt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":Qt};function N(n){return Jt[n]??{}}function oe({values:n,label:t}){if(n.length<2)return null;const a=Math.max(...n),o=Math.min(...n),d=a-o||1,m=n.map((c,l)=>`${(l/(n.length-1)*120).toFixed(1)},${(30-(c-o)/d*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:m,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function Be({bars:n,label:t,height:r=140}){const a=Math.max(240,n.length*72),o=Math.max(1,...n.map(d=>d.value));return e("svg",{class:"chart",viewBox:`0 0 ${a} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(d=>`${d.label}: ${d.text}`).join("; ")}`,children:n.map((d,m)=>{const c=d.value/o*(r-16);return e("g",{children:[e("title",{children:`${d.label}: ${d.text}`}),e("rect",{x:m*72+4,y:r-c,width:64,height:c,class:"bar"}),e("text",{x:m*72+72/2,y:r-c-4,"text-anchor":"middle",class:"tick",children:d.text}),e("text",{x:m*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:d.label})]},`${m}-${d.label}`)})})}function Wn({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${q(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const Yt=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function Gt({cells:n,onPick:t}){const a=new Map(n.map(c=>[c.segment,c])),o=Math.max(1e-4,...n.map(c=>c.shareOfRevenue)),d=new Set,m=n.map(c=>`${c.label}: ${c.accounts} customers, ${ne(c.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${m}`,children:[Yt.map((c,l)=>c.map((y,u)=>{const i=a.get(y),p=i?i.shareOfRevenue/o:0,h=!d.has(y);d.add(y);const v=28+u*96,k=l*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(y),children:[e("title",{children:i?`${i.label}: ${i.accounts} customers, ${ne(i.revenue)} revenue`:y}),e("rect",{x:v+1,y:k+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-p*58)}%)`}),h&&i&&e(W,{children:[e("text",{x:v+6,y:k+18,class:p>.55?"cell light":"cell",children:i.label}),e("text",{x:v+6,y:k+36,class:p>.55?"cell light":"cell",children:[i.accounts," customers"]}),e("text",{x:v+6,y:k+52,class:p>.55?"cell light":"cell",children:ne(i.revenue)})]})]},`${l}-${u}`)})),[5,4,3,2,1].map((c,l)=>e("text",{x:10,y:l*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${c}`},`r${c}`)),[1,2,3,4,5].map((c,l)=>e("text",{x:28+l*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${c}`},`fm${c}`))]})}function Fe({rows:n,label:t}){const o=n.flatMap(u=>[u.estimate,u.low??u.estimate,u.high??u.estimate,0]),d=Math.min(...o),c=Math.max(...o)-d||1,l=u=>160+(u-d)/c*340,y=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${y}`,role:"img","aria-label":`${t}. ${n.map(u=>`${u.label}: ${u.text}`).join("; ")}`,children:[e("line",{x1:l(0),x2:l(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:l(0),y:y-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((u,i)=>{const p=i*30+15;return e("g",{children:[e("title",{children:`${u.label}: ${u.text}`}),e("text",{x:0,y:p+4,class:"tick",children:u.label}),u.low!=null&&u.high!=null&&e("line",{x1:l(u.low),x2:l(u.high),y1:p,y2:p,class:"ci"}),u.low!=null&&e("line",{x1:l(u.low),x2:l(u.low),y1:p-6,y2:p+6,class:"ci"}),u.high!=null&&e("line",{x1:l(u.high),x2:l(u.high),y1:p-6,y2:p+6,class:"ci"}),e("circle",{cx:l(u.estimate),cy:p,r:5,class:u.low!=null&&u.low>0?"est good":"est"})]},u.label)})]})}function Xt({rows:n,columns:t,label:r}){const d=130+t.length*52,m=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${d} ${m}`,role:"img","aria-label":r,children:[t.map((c,l)=>e("text",{x:130+l*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:c},c)),n.map((c,l)=>e("g",{children:[e("text",{x:0,y:22+l*26+17,class:"tick",children:[c.label," ",e("tspan",{class:"muted",children:c.note})]}),c.cells.map((y,u)=>e("g",{children:[e("title",{children:y.title}),e("rect",{x:130+u*52+1,y:22+l*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,y.value)*62)}%)`}),e("text",{x:130+u*52+52/2,y:22+l*26+17,"text-anchor":"middle",class:y.value>.55?"cell light":"cell",children:y.text})]},u))]},c.label))]})}function yn({points:n,label:t,min:r,max:s,zero:a}){const l=s-r||1,y=n.length>1?564/(n.length-1):0,u=f=>42+f*y,i=f=>8+(1-(Math.max(r,Math.min(s,f))-r)/l)*160,p=[];let h=[];n.forEach((f,b)=>{f.value==null?(h.length&&p.push(h),h=[]):h.push(`${u(b).toFixed(1)},${i(f.value).toFixed(1)}`)}),h.length&&p.push(h);const v=n.map((f,b)=>({p:f,i:b})).filter(({p:f})=>f.low!=null&&f.high!=null),k=v.length>1?[...v.map(({p:f,i:b})=>`${u(b).toFixed(1)},${i(f.high??0).toFixed(1)}`),...[...v].reverse().map(({p:f,i:b})=>`${u(b).toFixed(1)},${i(f.low??0).toFixed(1)}`)].join(" "):null,I=[r,a??(r+s)/2,s],_=Math.max(1,Math.ceil(n.length/12));return e("svg",{class:"chart line",viewBox:"0 0 640 200",role:"img","aria-label":`${t}. ${n.map(f=>`${f.label}: ${f.text}`).join("; ")}`,children:[I.map(f=>e("g",{children:[e("line",{x1:36,x2:636,y1:i(f),y2:i(f),class:f===a?"zero":"grid"}),e("text",{x:30,y:i(f)+4,"text-anchor":"end",class:"tick",children:f})]},f)),k&&e("polygon",{points:k,class:"band-fill"}),p.map((f,b)=>f.length>1?e("polyline",{points:f.join(" "),class:"series"},b):null),n.map((f,b)=>f.value==null?null:e("g",{children:[e("title",{children:`${f.label}: ${f.text}`}),e("circle",{cx:u(b),cy:i(f.value),r:3.5,class:"dot"})]},f.label)),n.map((f,b)=>b%_===0||b===n.length-1?e("text",{x:u(b),y:194,"text-anchor":"middle",class:"tick",children:f.label},`l${f.label}`):null)]})}function Zt({bars:n,label:t,height:r=160}){const a=Math.max(240,n.length*72),o=Math.max(0,...n.map(u=>u.value)),d=Math.min(0,...n.map(u=>u.value)),m=o-d||1,c=r-32,l=16+o/m*c,y=u=>16+(o-u)/m*c;return e("svg",{class:"chart",viewBox:`0 0 ${a} ${r+20}`,role:"img","aria-label":`${t}. ${n.map(u=>`${u.label}: ${u.text}`).join("; ")}`,children:[e("line",{x1:0,x2:a,y1:l,y2:l,class:"zero"}),n.map((u,i)=>{const p=u.value<0,h=p?l:y(u.value),v=Math.max(p?y(u.value)-l:l-y(u.value),u.value===0?0:1);return e("g",{children:[e("title",{children:`${u.label}: ${u.text}`}),e("rect",{x:i*72+4,y:h,width:64,height:v,class:p?"bar loss":"bar"}),e("text",{x:i*72+72/2,y:p?h+v+12:h-4,"text-anchor":"middle",class:"tick",children:u.text}),e("text",{x:i*72+72/2,y:r+14,"text-anchor":"middle",class:"tick",children:u.label})]},`${i}-${u.label}`)})]})}const ce="/console";function gn(){const n=location.pathname.startsWith(ce)?location.pathname.slice(ce.length):"/";return n===""?"/":n}const xe=new Set;window.addEventListener("popstate",()=>xe.forEach(n=>n()));function Ge(n){history.pushState(null,"",ce+n),xe.forEach(t=>t()),window.scrollTo(0,0)}function er(){const[n,t]=w(gn());return G(()=>{const r=()=>t(gn());return xe.add(r),()=>xe.delete(r)},[]),n}function nr(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(ce)&&(n.preventDefault(),Ge(r.slice(ce.length)||"/"))}const Kn=rt(null);function de(){const n=ot(Kn);if(!n)throw new Error("no session");return n}function fe(n,t){switch(t){case"deals":case"segments":case"complaints":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":case"offers":return["owner","admin","manager"].includes(n.role);case"admin":return["owner","admin"].includes(n.role)}}function Xe({notice:n,testid:t}){return e("div",{"aria-live":"polite",children:n&&e("p",{class:`notice ${n.ok?"ok":"conflict"}`,role:n.ok?"status":"alert","data-testid":t,children:n.text})})}function B(n){return e("a",{href:ce+n.href,onClick:nr,class:n.class,"aria-current":n["aria-current"],children:n.children})}function H({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function D({children:n}){return e("p",{class:"state empty",children:n})}function V({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:Y(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function Y(n){return n instanceof ee?n.message:"Something went wrong in the console. Reload the page and try again."}function j(n,t){const[r,s]=w({status:"loading"}),[a,o]=w(0),d=he(0);G(()=>{const c=++d.current;s(l=>l.status==="ok"&&a>0?l:{status:"loading"}),n().then(l=>c===d.current&&s({status:"ok",data:l}),l=>c===d.current&&s({status:"error",error:l}))},[t,a]);const m=at(()=>o(c=>c+1),[]);return{...r,reload:m}}function E({title:n,children:t,actions:r}){return G(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const tr=N(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),rr=N(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`),sr=N(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),ir=N(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`),ar=["in_store","call","direct_mail","email","sms","push"];function or({id:n}){const t=j(()=>T(rr,{id:n}),n);if(t.status==="loading")return e(H,{what:"results"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.campaignResults,s=r.total,a=[s,...r.byRfmSegment.filter(d=>d.treatment.members>0)].map(d=>({label:d.group==="all"?"All members":R(d.group),estimate:d.conversionUplift.difference*100,low:d.conversionUplift.ciLow==null?null:d.conversionUplift.ciLow*100,high:d.conversionUplift.ciHigh==null?null:d.conversionUplift.ciHigh*100,text:`${(d.conversionUplift.difference*100).toFixed(1)} points`+(d.conversionUplift.ciLow!=null&&d.conversionUplift.ciHigh!=null?` (95 % interval ${(d.conversionUplift.ciLow*100).toFixed(1)} to ${(d.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),o=s.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",q(s.treatment.conversionRate,1)," of treated members bought against ",q(s.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(o.difference*100).toFixed(1)," percentage points"]}),o.ciLow!=null&&o.ciHigh!=null?` (95 % interval ${(o.ciLow*100).toFixed(1)} to ${(o.ciHigh*100).toFixed(1)})`:"",", which is"," ",o.significance==="significant"?"statistically significant":o.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e("table",{class:"list compact","aria-label":"Arms",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Arm"}),e("th",{scope:"col",class:"num",children:"Members"}),e("th",{scope:"col",class:"num",children:"Buyers"}),e("th",{scope:"col",class:"num",children:"Conversion"}),e("th",{scope:"col",class:"num",children:"Revenue per member"})]})}),e("tbody",{children:[["Treated",s.treatment],["Control",s.control]].map(([d,m])=>e("tr",{children:[e("td",{children:d}),e("td",{class:"num",children:$(m.members)}),e("td",{class:"num",children:$(m.buyers)}),e("td",{class:"num",children:q(m.conversionRate,1)}),e("td",{class:"num",children:C(Math.round(m.revenuePerMember),r.currency)})]},d))})]}),e(Fe,{rows:a,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:C(s.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:C(s.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:C(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":q(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",M(r.windowStart)," to ",M(r.windowEnd)," · ",$(s.treatment.members)," treated, ",$(s.control.members)," in control."]})]})}function lr({selected:n}){const t=de(),r=fe(t,"campaigns"),s=j(()=>T(tr),"campaigns"),[a,o]=w(""),[d,m]=w(""),[c,l]=w("in_store"),[y,u]=w("10"),[i,p]=w(!1),[h,v]=w(null);if(s.status==="loading")return e(H,{what:"campaigns"});if(s.status==="error")return e(V,{error:s.error,retry:s.reload});const{campaigns:k,segments:I}=s.data,_=new Map(I.nodes.map(g=>[g.id,g.name])),f=k.nodes.find(g=>g.id===n)??null,b=async g=>{g.preventDefault(),p(!0),v(null);try{const x=Number(y)/100,L=await T(sr,{input:{name:a.trim(),segmentId:d||(I.nodes[0]?.id??""),channel:c,controlShare:x,costFixed:0,costPerContact:0},key:ae()});v({ok:!0,text:`Draft “${L.createCampaign.name}” created. Launch it when ready.`}),o(""),s.reload()}catch(x){v({ok:!1,text:Y(x)})}finally{p(!1)}},S=async(g,x)=>{p(!0),v(null);try{const Q=(await T(ir,{id:g,key:ae()})).launchCampaign.audience;v({ok:!0,text:`“${x}” launched: ${Q?`${$(Q.treated)} customers treated, ${$(Q.control)} held out as control`:"audience drawn"}.`}),s.reload()}catch(L){v({ok:!1,text:Y(L)})}finally{p(!1)}};return e(E,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:h&&e("p",{class:`notice ${h.ok?"ok":"conflict"}`,role:h.ok?"status":"alert","data-testid":"campaign-notice",children:h.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),k.nodes.length===0?e(D,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:k.nodes.map(g=>e("tr",{children:[e("td",{children:g.status==="draft"?g.name:e(B,{href:`/campaigns/${encodeURIComponent(g.id)}`,children:g.name})}),e("td",{children:_.get(g.segmentId)??"—"}),e("td",{children:R(g.channel)}),e("td",{children:[R(g.status),g.launchedAt?` ${M(g.launchedAt)}`:""]}),e("td",{class:"num",children:g.audience?`${$(g.audience.treated)} / ${$(g.audience.control)}`:"—"}),e("td",{children:[g.status==="draft"&&r&&e("button",{type:"button",disabled:i,onClick:()=>{S(g.id,g.name)},children:["Launch “",g.name,"”"]}),g.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>Ge(`/campaigns/${encodeURIComponent(g.id)}`),children:"Results"})]})]},g.id))})]})]}),f&&f.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",f.name]}),e(or,{id:f.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),I.nodes.length===0?e(D,{children:["A campaign targets a segment: ",e(B,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:g=>{b(g)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:a,onInput:g=>o(g.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:d||I.nodes[0]?.id,onChange:g=>m(g.currentTarget.value),children:I.nodes.map(g=>e("option",{value:g.id,children:g.name},g.id))})]}),e("label",{children:["Channel",e("select",{value:c,onChange:g=>l(g.currentTarget.value),children:ar.map(g=>e("option",{value:g,children:R(g)},g))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:y,onInput:g=>u(g.currentTarget.value)})]}),e("button",{type:"submit",disabled:i||!a.trim(),children:"Create draft"})]})]})]})]})}const cr=N(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);function dr(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function ur(){const n=j(()=>T(cr,{from:dr(12)}),"cohorts");if(n.status==="loading")return e(H,{what:"cohorts"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(a=>a.customers>0),s=Math.max(0,...r.map(a=>a.periods.length));return e(E,{title:"Cohorts",children:r.length===0?e(D,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(Xt,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:s},(a,o)=>`M${o}`),rows:r.map(a=>({label:a.cohort,note:`(${a.customers})`,cells:a.periods.map(o=>({value:o.retention,text:q(o.retention),title:`${a.cohort}, month ${o.periodNumber} (${o.period}): ${o.activeCustomers} of ${a.customers} bought (${q(o.retention,1)}); ${C(o.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const hr=N(`
  query Offers {
    offers(first: 200) {
      nodes {
        id
        name
        description
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
        status
        issued
        redemptions
        spent
        budget
        campaignId
        validUntil
        voucherValidDays
        version
      }
    }
    campaigns(first: 100) {
      nodes {
        id
        name
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),mr=N(`
  mutation CreateOffer($input: OfferInput!, $key: String) {
    createOffer(input: $input, idempotencyKey: $key) {
      id
      name
      status
    }
  }
`),pr=N(`
  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
    updateOffer(id: $id, patch: $patch, ifVersion: $version) {
      id
      status
    }
  }
`),fr=N(`
  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
    issueOffer(id: $id, input: $input, idempotencyKey: $key) {
      issued
      alreadyHolding
      ineligible
    }
  }
`);function jn(n){switch(n.kind){case"percent_discount":return`${n.percent??"?"} % off`;case"fixed_discount":return`${C(n.amount,n.currency??void 0)} off`;case"bonus_points":return n.pointsMultiplier!=null?`${n.pointsMultiplier}× points`:`${$(n.points??0)} bonus points`;case"free_reward":return"a free reward";case"free_shipping":return"free shipping";default:return n.benefit??"a custom benefit"}}const yr=[["percent_discount","Percent off"],["fixed_discount","Amount off"],["bonus_points","Bonus points"],["free_shipping","Free shipping"],["custom","Custom benefit"]];function gr({campaigns:n,currency:t,done:r}){const[s,a]=w(""),[o,d]=w("percent_discount"),[m,c]=w("10"),[l,y]=w(""),[u,i]=w(""),[p,h]=w("30"),[v,k]=w("paused"),[I,_]=w(!1),f=async b=>{b.preventDefault(),_(!0);try{const S=Number(m),g={name:s.trim(),kind:o,status:v,campaignId:u||null,voucherValidDays:p?Number(p):null,percent:o==="percent_discount"?Math.round(S):null,amount:o==="fixed_discount"?String(Math.round(S*100)):null,currency:o==="fixed_discount"?t:null,points:o==="bonus_points"?String(Math.round(S)):null,benefit:o==="custom"?l.trim():null},x=await T(mr,{input:g,key:ae()});r(`Offer “${x.createOffer.name}” created (${x.createOffer.status==="active"?"active":"paused: activate it when ready"}).`,!0),a("")}catch(S){r(Y(S),!1)}finally{_(!1)}};return e("form",{onSubmit:b=>{f(b)},class:"rule",children:[e("label",{children:["Offer name",e("input",{name:"offer-name",required:!0,maxLength:200,value:s,onInput:b=>a(b.currentTarget.value)})]}),e("label",{children:["Benefit",e("select",{name:"offer-kind",value:o,onChange:b=>d(b.currentTarget.value),children:yr.map(([b,S])=>e("option",{value:b,children:S},b))})]}),o==="percent_discount"&&e("label",{children:["Percent off (1 to 99)",e("input",{type:"number",name:"offer-percent",min:1,max:99,required:!0,value:m,onInput:b=>c(b.currentTarget.value)})]}),o==="fixed_discount"&&e("label",{children:["Amount off (",t,")",e("input",{type:"number",name:"offer-amount",min:.01,step:.01,required:!0,value:m,onInput:b=>c(b.currentTarget.value)})]}),o==="bonus_points"&&e("label",{children:["Bonus points",e("input",{type:"number",name:"offer-points",min:1,step:1,required:!0,value:m,onInput:b=>c(b.currentTarget.value)})]}),o==="custom"&&e("label",{children:["The benefit in words",e("input",{name:"offer-benefit",required:!0,maxLength:500,value:l,onInput:b=>y(b.currentTarget.value)})]}),e("label",{children:["Campaign (redemptions are attributed to it)",e("select",{name:"offer-campaign",value:u,onChange:b=>i(b.currentTarget.value),children:[e("option",{value:"",children:"None"}),n.map(b=>e("option",{value:b.id,children:b.name},b.id))]})]}),e("label",{children:["Vouchers valid for (days; empty: until the offer ends)",e("input",{type:"number",name:"offer-valid-days",min:1,max:3650,value:p,onInput:b=>h(b.currentTarget.value)})]}),e("label",{children:["Start",e("select",{name:"offer-status",value:v,onChange:b=>k(b.currentTarget.value),children:[e("option",{value:"paused",children:"Paused (activate later)"}),e("option",{value:"active",children:"Active now"})]})]}),e("button",{type:"submit",disabled:I||!s.trim(),children:"Create offer"})]})}function vr({offers:n,segments:t,done:r}){const s=n.filter(p=>p.status==="active"),[a,o]=w(""),[d,m]=w(""),[c,l]=w(!1);if(s.length===0)return e(D,{children:"Activate an offer to issue it."});if(t.length===0)return e(D,{children:["Offers are issued to a segment’s members: ",e(B,{href:"/segments",children:"build one first"}),"."]});const y=s.find(p=>p.id===a)??s[0],u=t.find(p=>p.id===d)??t[0],i=async p=>{if(p.preventDefault(),!(!y||!u)){l(!0);try{const h=(await T(fr,{id:y.id,input:{segmentId:u.id},key:ae()})).issueOffer;r(`“${y.name}” issued to ${$(h.issued)} members of “${u.name}”`+(h.alreadyHolding>0?`; ${$(h.alreadyHolding)} already held an open voucher`:"")+(h.ineligible>0?`; ${$(h.ineligible)} did not meet its conditions`:"")+".",!0)}catch(h){r(Y(h),!1)}finally{l(!1)}}};return e("form",{onSubmit:p=>{i(p)},class:"rule",children:[e("label",{children:["Offer",e("select",{name:"issue-offer",value:y?.id,onChange:p=>o(p.currentTarget.value),children:s.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}),e("label",{children:["Segment",e("select",{name:"issue-segment",value:u?.id,onChange:p=>m(p.currentTarget.value),children:t.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}),e("p",{class:"small muted",children:"Each member gets a personal voucher code; those who already hold one of this offer, or do not meet its conditions, are left out."}),e("button",{type:"submit",disabled:c,children:"Issue vouchers"})]})}function br(){const n=de(),t=fe(n,"offers"),r=j(()=>T(hr),"offers"),[s,a]=w(null),[o,d]=w(!1);if(r.status==="loading")return e(H,{what:"offers"});if(r.status==="error")return e(V,{error:r.error,retry:r.reload});const{offers:m,campaigns:c,segments:l}=r.data,y=new Map(c.nodes.map(h=>[h.id,h.name])),u=(h,v)=>{a({ok:v,text:h}),v&&r.reload()},i=async(h,v)=>{d(!0),a(null);try{await T(pr,{id:h.id,patch:{status:v},version:h.version}),u(`“${h.name}” is ${v==="active"?"active: it can be issued and redeemed":"paused: no issue, no redemption"}.`,!0)}catch(k){u(Y(k),!1),r.reload()}finally{d(!1)}},p=[...m.nodes].reverse();return e(E,{title:"Offers",children:[e(Xe,{notice:s,testid:"offer-notice"}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"All offers"}),p.length===0?e(D,{children:["No offer yet",t?": create one below.":"."]}):e("table",{class:"list","aria-labelledby":"offers-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Offer"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Campaign"}),e("th",{scope:"col",class:"num",children:"Issued"}),e("th",{scope:"col",class:"num",children:"Redeemed"}),e("th",{scope:"col",children:"Redemption rate"}),e("th",{scope:"col",class:"num",children:"Cost"}),t&&e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:p.map(h=>{const v=h.issued>0?h.redemptions/h.issued:null;return e("tr",{"data-offer":h.name,children:[e("td",{children:[e("strong",{children:h.name}),e("div",{class:"small muted",children:[jn(h),h.voucherValidDays?` · vouchers valid ${h.voucherValidDays} days`:"",h.validUntil?` · ends ${M(h.validUntil)}`:""]})]}),e("td",{children:e("span",{class:`flag ${h.status==="active"?"ok":"warn"}`,children:h.status==="active"?"Active":"Paused"})}),e("td",{children:h.campaignId?e(B,{href:`/campaigns/${encodeURIComponent(h.campaignId)}`,children:y.get(h.campaignId)??"its campaign"}):"—"}),e("td",{class:"num",children:$(h.issued)}),e("td",{class:"num",children:$(h.redemptions)}),e("td",{children:v==null?e("span",{class:"muted",children:"none issued"}):e("span",{class:"spark-row",children:[e(Wn,{value:v,label:`${h.name} redemption rate`,tone:v>=.2?"good":v>=.05?"warn":"bad"})," ",q(v,1)]})}),e("td",{class:"num",children:[C(h.spent),h.budget!=null?e("div",{class:"small muted",children:["of ",C(h.budget)]}):null]}),t&&e("td",{children:h.status==="active"?e("button",{type:"button",class:"secondary",disabled:o,onClick:()=>{i(h,"paused")},children:["Pause “",h.name,"”"]}):e("button",{type:"button",disabled:o,onClick:()=>{i(h,"active")},children:["Activate “",h.name,"”"]})})]},h.id)})})]}),e("p",{class:"small muted",children:"Redemption rate: vouchers redeemed by an order over vouchers issued. Cost: discounts given plus the offer’s cost per redemption."})]}),t&&e("article",{class:"card","aria-labelledby":"new-offer-h",children:[e("h2",{id:"new-offer-h",children:"New offer"}),e(gr,{campaigns:c.nodes,currency:n.currency,done:u})]}),t&&e("article",{class:"card","aria-labelledby":"issue-h",children:[e("h2",{id:"issue-h",children:"Issue to a segment"}),e(vr,{offers:m.nodes,segments:l.nodes,done:u})]})]})]})}const _r=N(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
      nextBestOffers {
        offer {
          id
          name
          kind
          percent
          amount
          currency
          points
          pointsMultiplier
          benefit
        }
        expectedIncrementalMargin
        explanation
      }
      recommendations(limit: 5) {
        data {
          sku
          name
          reason
          explanation
        }
      }
      satisfaction {
        nps
        npsCategory
        npsAt
        csat
        csatAt
        ces
        cesAt
        responses
        openComplaints
      }
      feedback(first: 5) {
        nodes {
          id
          nps
          csat
          ces
          touchpoint
          channel
          comment
          occurredAt
        }
      }
      complaints(first: 5) {
        nodes {
          id
          subject
          status
          severity
          openedAt
          firstResponseBreached
          resolutionBreached
        }
      }
    }
    accountOffers(accountId: $id, stateFilter: "all", first: 8) {
      nodes {
        voucher {
          id
          code
          state
          validUntil
          issuedAt
          redeemedAt
        }
        offer {
          name
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyProgram {
      currency
      qualification
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`),wr={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},vn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function $r(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${vn[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${q(t.pAlive)} chance that ${n} is still an active customer (so a ${q(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${Hn(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${C(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${C(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${vn[t.predictionsUnavailable]??"has no money predictions"}.`),r}function kr(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}function Cr({id:n}){const t=j(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),T(_r,{id:n})),n);if(G(()=>{t.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[t.status,n]),t.status==="loading")return e(H,{what:"the customer"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const{account:r,loyaltyBalance:s,loyaltyProgram:a,loyaltyLedger:o,deals:d,pipelines:m,accountOffers:c}=t.data;if(!r)return e(E,{title:"Customer not found",children:e(D,{children:["There is no such customer in this workspace. ",e(B,{href:"/customers",children:"Back to customers"}),"."]})});const l=r.metrics,y=new Map(m.nodes.flatMap(i=>i.stages.map(p=>[p.id,p.name]))),u=[...r.interactions.nodes.map(i=>({at:i.occurredAt,key:`i${i.id}`,what:`${R(i.type)}${i.channel?` · ${i.channel}`:""}${i.direction?` · ${i.direction}`:""}`,text:i.subject??""})),...r.orders.nodes.map(i=>({at:i.occurredAt,key:`o${i.id}`,what:`Order${i.channel?` · ${i.channel}`:""}`,text:`${C(i.amount,i.currency)}${i.status!=="completed"?` (${R(i.status).toLowerCase()})`:""}`}))].sort((i,p)=>i.at<p.at?1:-1);return e(E,{title:r.name,children:[e("p",{class:"muted",children:[R(r.kind)," · ",R(r.lifecycleStage)," · customer since ",M(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:C(l.clv,l.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:C(l.revenue,l.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:$(l.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:C(l.averageOrderValue,l.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:Hn(l.lastOrderAt)})]})]}),l.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(Wn,{value:l.pAlive,label:"Probability still active",tone:kr(l.riskBand)})," ",e("strong",{children:q(l.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:$r(r.name,l).map(i=>e("p",{children:i},i))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),l.rfm?e(W,{children:[e("p",{class:"big",children:l.rfm.label}),e("p",{children:["Recency ",l.rfm.r,"/5 · Frequency ",l.rfm.f,"/5 · Monetary ",l.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),l.riskBand&&e("p",{children:[e("span",{class:`band ${l.riskBand}`,children:R(l.riskBand)})," ",wr[l.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),s?e(W,{children:[e("p",{class:"big",children:[$(s.available)," points"]}),e("p",{children:[s.tier?`${s.tier.name} tier`:"No tier yet",s.nextTier?` · ${a?.qualification==="spend"?`${C(s.nextTier.missing,a.currency)} more spend`:`${$(s.nextTier.missing)} more points`} to ${s.nextTier.name}`:""]}),e("p",{class:"muted small",children:[$(s.pending)," pending · ",$(s.expiringIn30Days)," expiring within 30 days · ",$(s.lifetimeEarned)," earned in all"]}),o.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:o.nodes.map(i=>e("tr",{children:[e("td",{children:M(i.occurredAt)}),e("td",{children:[R(i.kind),i.reason?` · ${i.reason}`:""]}),e("td",{class:"num",children:z(i.points)>0?`+${$(i.points)}`:$(i.points)})]},i.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),d.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:d.nodes.map(i=>e("li",{children:[e("strong",{children:i.title})," · ",C(i.amount,i.currency)," · ",y.get(i.stageId)??"stage",i.expectedCloseOn?` · closes ${M(i.expectedCloseOn)}`:""]},i.id))})]}),e("article",{class:"card","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"Offers and vouchers"}),r.nextBestOffers.length===0?e("p",{class:"muted",children:"No active offer this customer may get now."}):e(W,{children:[e("h3",{class:"small",children:"Next best offers"}),e("ol",{class:"plain","data-testid":"next-best-offers",children:r.nextBestOffers.slice(0,3).map(i=>e("li",{children:[e("strong",{children:i.offer.name})," (",jn(i.offer),") · ",C(Math.round(i.expectedIncrementalMargin))," expected extra margin",e("div",{class:"small muted",children:i.explanation})]},i.offer.id))})]}),c.nodes.length>0&&e(W,{children:[e("h3",{class:"small",children:"Vouchers"}),e("ul",{class:"plain","aria-label":"Vouchers",children:c.nodes.map(i=>e("li",{children:[e("code",{children:i.voucher.code})," · ",i.offer.name," · ",R(i.voucher.state),i.voucher.redeemedAt?` ${M(i.voucher.redeemedAt)}`:i.voucher.validUntil?` · valid until ${M(i.voucher.validUntil)}`:""]},i.voucher.id))})]})]}),e("article",{class:"card","aria-labelledby":"feedback-h",children:[e("h2",{id:"feedback-h",children:"Feedback"}),r.satisfaction?e(W,{children:[e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Latest NPS"}),e("dd",{children:[r.satisfaction.nps??"—",r.satisfaction.npsCategory?e("span",{class:`band ${r.satisfaction.npsCategory==="promoter"?"healthy":r.satisfaction.npsCategory==="passive"?"watch":"at_risk"}`,children:R(r.satisfaction.npsCategory)}):null]})]}),e("div",{children:[e("dt",{children:"CSAT"}),e("dd",{children:r.satisfaction.csat!=null?`${r.satisfaction.csat}/5`:"—"})]}),e("div",{children:[e("dt",{children:"Effort"}),e("dd",{children:r.satisfaction.ces!=null?`${r.satisfaction.ces}/7`:"—"})]})]}),e("p",{class:"muted small",children:[$(r.satisfaction.responses)," answers · ",$(r.satisfaction.openComplaints)," complaints being worked on"]})]}):e("p",{class:"muted",children:"No survey answer or complaint yet."}),r.feedback.nodes.length>0&&e("ul",{class:"plain","aria-label":"Survey answers",children:r.feedback.nodes.map(i=>e("li",{children:[e("span",{class:"muted",children:M(i.occurredAt)})," ",R(i.touchpoint),i.nps!=null?` · NPS ${i.nps}`:"",i.csat!=null?` · CSAT ${i.csat}`:"",i.ces!=null?` · CES ${i.ces}`:"",i.comment?e("div",{class:"small",children:["“",i.comment,"”"]}):null]},i.id))}),r.complaints.nodes.length>0&&e(W,{children:[e("h3",{class:"small",children:"Complaints"}),e("ul",{class:"plain","aria-label":"Complaints",children:r.complaints.nodes.map(i=>e("li",{children:[e(B,{href:`/feedback/complaints/${encodeURIComponent(i.id)}`,children:i.subject})," · ",R(i.status)," · ",M(i.openedAt),i.firstResponseBreached||i.resolutionBreached?e("span",{class:"flag bad",children:"SLA breached"}):null]},i.id))})]})]}),r.recommendations.data.length>0&&e("article",{class:"card","aria-labelledby":"reco-h",children:[e("h2",{id:"reco-h",children:"Recommended products"}),e("ul",{class:"plain",children:r.recommendations.data.map(i=>e("li",{children:[e("strong",{children:i.name??i.sku})," · ",i.reason==="due_again"?"due again":"bought together",e("div",{class:"small muted",children:i.explanation})]},i.sku))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),u.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:u.map(i=>e("li",{children:[e("time",{dateTime:i.at,children:M(i.at)})," ",e("strong",{children:i.what})," ",i.text]},i.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:r.orders.nodes.map(i=>e("tr",{children:[e("td",{children:M(i.occurredAt)}),e("td",{children:i.externalId??"—"}),e("td",{children:i.channel??"—"}),e("td",{children:R(i.status)}),e("td",{class:"num",children:C(i.amount,i.currency)})]},i.id))})]})]})]})]})}const Sr=N(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`),Ar=50;function xr(){const[n,t]=w(""),[r,s]=w(""),[a,o]=w(""),[d,m]=w(""),[c,l]=w(""),[y,u]=w(null),[i,p]=w([]),[h,v]=w(null),[k,I]=w(!1),[_,f]=w("loading"),[b,S]=w(null),g=he(0),x=he(null),L=he(!1),Q=he({generation:0,cursor:null});G(()=>{const A=setTimeout(()=>s(n.trim()),250);return()=>clearTimeout(A)},[n]);const K=async A=>{const re=g.current;L.current=!0;try{const ue={...r?{q:r}:{},...a?{segmentId:a}:{},...d?{lifecycleStage:d}:{},...c?{kind:c}:{}},J=await T(Sr,{first:Ar,after:A,filter:ue,withSegments:y===null});if(re!==g.current)return;J.segments&&u(J.segments.nodes),p(ye=>{if(!A)return J.accounts.nodes;const Qn=new Set(ye.map(De=>De.id));return[...ye,...J.accounts.nodes.filter(De=>!Qn.has(De.id))]}),Q.current={generation:re,cursor:J.accounts.pageInfo.endCursor??null},v(J.accounts.pageInfo.endCursor??null),I(J.accounts.pageInfo.hasNextPage),f("ok")}catch(ue){if(re!==g.current)return;S(ue),f("error")}finally{re===g.current&&(L.current=!1)}};return G(()=>{g.current++,L.current=!1,Q.current={generation:g.current,cursor:null},I(!1),v(null),f("loading"),p([]),K(null)},[r,a,d,c]),G(()=>{const A=x.current;if(!A||!k)return;const re=new IntersectionObserver(ue=>{const J=Q.current;ue.some(ye=>ye.isIntersecting)&&!L.current&&J.cursor&&J.generation===g.current&&K(J.cursor)});return re.observe(A),()=>re.disconnect()},[k,h,i.length]),e(E,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:A=>A.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:A=>t(A.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:a,onChange:A=>o(A.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(y??[]).map(A=>e("option",{value:A.id,children:A.name},A.id))]})]}),e("label",{children:["Stage",e("select",{name:"stage",value:d,onChange:A=>m(A.currentTarget.value),children:[e("option",{value:"",children:"Any stage"}),["lead","prospect","customer","churned"].map(A=>e("option",{value:A,children:R(A)},A))]})]}),e("label",{children:["Kind",e("select",{name:"kind",value:c,onChange:A=>l(A.currentTarget.value),children:[e("option",{value:"",children:"People and organizations"}),e("option",{value:"person",children:"People"}),e("option",{value:"organization",children:"Organizations"})]})]})]}),_==="loading"&&e(H,{what:"customers"}),_==="error"&&e(V,{error:b,retry:()=>{K(null)}}),_==="ok"&&i.length===0&&e(D,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),i.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:i.map(A=>e("tr",{children:[e("td",{children:[e(B,{href:`/customers/${encodeURIComponent(A.id)}`,children:A.name}),e("div",{class:"muted small",children:A.emails[0]??R(A.kind)})]}),e("td",{children:R(A.lifecycleStage)}),e("td",{children:A.metrics.rfm?.label??"—"}),e("td",{class:"num",children:A.metrics.ordersCount}),e("td",{class:"num",children:C(A.metrics.revenue)}),e("td",{class:"num",children:C(A.metrics.clv)}),e("td",{children:A.metrics.riskBand?e("span",{class:`band ${A.metrics.riskBand}`,children:R(A.metrics.riskBand)}):"—"})]},A.id))})]}),e("div",{ref:x,class:"sentinel","aria-hidden":"true"}),k&&_==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const Rr=N(`
  query Data {
    importJobs(first: 50) {
      nodes {
        id
        type
        format
        status
        dryRun
        rowsRead
        rowsCreated
        rowsUpdated
        rowsUnchanged
        rowsFailed
        error {
          code
          message
        }
        createdAt
        startedAt
        finishedAt
      }
      pageInfo {
        hasNextPage
      }
    }
    accountDuplicates(first: 50) {
      nodes {
        accountId
        accountName
        duplicateId
        duplicateName
        score
        reasons {
          kind
          value
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`),Ir={succeeded:"ok",failed:"bad",cancelled:"warn"};function bn(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:`${M(n)} ${t.toISOString().slice(11,16)} UTC`}function Pr(){const n=j(()=>T(Rr),"data");if(n.status==="loading")return e(H,{what:"imports and duplicates"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{importJobs:t,accountDuplicates:r}=n.data;return e(E,{title:"Data",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"d-imports",children:[e("h2",{id:"d-imports",children:"Imports"}),t.nodes.length===0?e(D,{children:["No import yet: upload a CSV or NDJSON file with ",e("code",{children:"POST /v1/imports"})," or ",e("code",{children:"rapport import"}),"."]}):e(W,{children:[e("table",{class:"list compact","aria-label":"Import jobs",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Type"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Rows read"}),e("th",{scope:"col",class:"num",children:"Created"}),e("th",{scope:"col",class:"num",children:"Updated"}),e("th",{scope:"col",class:"num",children:"Unchanged"}),e("th",{scope:"col",class:"num",children:"Failed"}),e("th",{scope:"col",children:"Started"}),e("th",{scope:"col",children:"Finished"})]})}),e("tbody",{children:t.nodes.map(s=>e("tr",{"data-testid":`import-${s.id}`,children:[e("td",{children:[R(s.type)," ",e("span",{class:"muted small",children:["(",s.format,s.dryRun?", dry run":"",")"]})]}),e("td",{children:[e("span",{class:`flag ${Ir[s.status]??""}`,children:R(s.status)}),s.error&&e("div",{class:"small",children:s.error.message})]}),e("td",{class:"num",children:$(s.rowsRead)}),e("td",{class:"num",children:$(s.rowsCreated)}),e("td",{class:"num",children:$(s.rowsUpdated)}),e("td",{class:"num",children:$(s.rowsUnchanged)}),e("td",{class:"num",children:$(s.rowsFailed)}),e("td",{children:bn(s.startedAt)}),e("td",{children:bn(s.finishedAt)})]},s.id))})]}),t.pageInfo.hasNextPage&&e("p",{class:"muted small",children:"The 50 newest imports are shown."})]})]}),e("article",{class:"card wide","aria-labelledby":"d-dups",children:[e("h2",{id:"d-dups",children:"Possible duplicates"}),r.nodes.length===0?e(D,{children:"No two live accounts look like the same customer."}):e(W,{children:[e("p",{class:"muted small",children:["Pairs of live accounts that may be one customer, surest first. Open both to compare; merging is done with the API's ",e("code",{children:"mergeAccounts"}),"."]}),e("table",{class:"list compact","aria-label":"Possible duplicates",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Account"}),e("th",{scope:"col",children:"May be the same as"}),e("th",{scope:"col",class:"num",children:"Score"}),e("th",{scope:"col",children:"Why"})]})}),e("tbody",{children:r.nodes.map(s=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(s.accountId)}`,children:s.accountName})}),e("td",{children:e(B,{href:`/customers/${encodeURIComponent(s.duplicateId)}`,children:s.duplicateName})}),e("td",{class:"num",children:q(s.score)}),e("td",{children:s.reasons.map(a=>`${R(a.kind)}: ${a.value}`).join("; ")})]},`${s.accountId}-${s.duplicateId}`))})]}),r.pageInfo.hasNextPage&&e("p",{class:"muted small",children:"The 50 surest pairs are shown."})]})]})]})})}const Dr=N(`
  query Economics {
    profitabilityReport(limit: 10) {
      currency
      asOf
      customers
      profitableCustomers
      unprofitableCustomers
      breakEvenCustomers
      totals {
        revenue
        margin
        acquisitionCost
        costToServe
        profit
      }
      deciles {
        decile
        customers
        totals {
          profit
        }
        shareOfProfit
      }
      byRfmSegment {
        rfmSegment
        customers
        totals {
          profit
        }
        simpleClv
        modelClv
        customersWithPrediction
      }
      mostProfitable {
        ...AccountProfitRow
      }
      leastProfitable {
        ...AccountProfitRow
      }
    }
    acquisitionReport {
      currency
      startsAt
      endsBefore
      unallocatedSpend
      channels {
        acquisitionChannel
        customers
        marketingSpend
        cac
        averageClv
        averageClv36Months
        clvToCac
        paybackMonths
      }
    }
    valueDistribution {
      currency
      revenue {
        customers
        histogram {
          lower
          customers
        }
      }
      clv {
        customers
        histogram {
          lower
          customers
        }
      }
    }
  }

  fragment AccountProfitRow on AccountProfit {
    accountId
    name
    rfmSegment
    revenue
    margin
    acquisitionCost
    costToServe
    profit
  }
`);function _n({rows:n,label:t,currency:r}){return e("table",{class:"list compact","aria-label":t,children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Margin"}),e("th",{scope:"col",class:"num",children:"Acquisition"}),e("th",{scope:"col",class:"num",children:"Cost to serve"}),e("th",{scope:"col",class:"num",children:"Profit"})]})}),e("tbody",{children:n.map(s=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(s.accountId)}`,children:s.name})}),e("td",{children:s.rfmSegment?R(s.rfmSegment):"Not scored"}),e("td",{class:"num",children:C(s.margin,r)}),e("td",{class:"num",children:C(s.acquisitionCost,r)}),e("td",{class:"num",children:C(s.costToServe,r)}),e("td",{class:"num",children:C(s.profit,r)})]},s.accountId))})]})}function Tr({value:n}){if(n==null)return e(W,{children:"—"});const t=n>=3?"ok":n>=1?"warn":"bad",r=n>=3?"healthy":n>=1?"thin":"loses money";return e("span",{class:`flag ${t}`,title:r,children:[n.toFixed(1)," : 1 · ",r]})}function Nr(){const n=j(()=>T(Dr),"economics");if(n.status==="loading")return e(H,{what:"economics"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{profitabilityReport:t,acquisitionReport:r,valueDistribution:s}=n.data,a=t.currency;if(t.customers===0)return e(E,{title:"Economics",children:e(D,{children:"No customer has bought yet: profit, acquisition and value figures appear with the first orders."})});const o=r.channels.filter(c=>c.customers>0),d=r.channels.some(c=>z(c.marketingSpend)>0||c.cac!=null)||z(r.unallocatedSpend)>0,m=new Date(new Date(r.endsBefore).getTime()-864e5).toISOString();return e(E,{title:"Economics",children:e("div",{class:"grid",children:[e("article",{class:"card wide kpi-card","aria-labelledby":"e-totals",children:[e("h2",{id:"e-totals",children:"Profit, all customers to date"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Customers"}),e("dd",{"data-testid":"economics-customers",children:$(t.customers)})]}),e("div",{children:[e("dt",{children:"Revenue"}),e("dd",{children:C(t.totals.revenue,a)})]}),e("div",{children:[e("dt",{children:"Margin"}),e("dd",{children:C(t.totals.margin,a)})]}),e("div",{children:[e("dt",{children:"Acquisition cost"}),e("dd",{children:C(t.totals.acquisitionCost,a)})]}),e("div",{children:[e("dt",{children:"Cost to serve"}),e("dd",{children:C(t.totals.costToServe,a)})]}),e("div",{children:[e("dt",{children:"Profit"}),e("dd",{"data-testid":"economics-profit",children:C(t.totals.profit,a)})]})]}),e("p",{class:"muted small",children:[$(t.profitableCustomers)," customers are profitable, ",$(t.unprofitableCustomers)," lose money and ",$(t.breakEvenCustomers)," break even (profit = margin − acquisition cost − cost to serve), as of ",M(t.asOf),"."]})]}),e("article",{class:"card wide","aria-labelledby":"e-deciles",children:[e("h2",{id:"e-deciles",children:"Who makes the money, who loses it"}),e("p",{class:"muted small",children:"Customers ranked by profit in ten equal groups: D1 is the most profitable tenth, D10 the least."}),e(Zt,{label:"Profit by decile of customers",bars:t.deciles.map(c=>({label:`D${c.decile}`,value:z(c.totals.profit),text:ne(c.totals.profit,a)}))}),e("table",{class:"list compact","aria-label":"Profit by decile",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Decile"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Profit"}),e("th",{scope:"col",class:"num",children:"Share of profit"})]})}),e("tbody",{children:t.deciles.map(c=>e("tr",{children:[e("td",{children:["D",c.decile]}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.totals.profit,a)}),e("td",{class:"num",children:q(c.shareOfProfit,1)})]},c.decile))})]})]}),e("article",{class:"card wide","aria-labelledby":"e-most",children:[e("h2",{id:"e-most",children:"Most profitable customers"}),e(_n,{rows:t.mostProfitable,label:"Most profitable customers",currency:a})]}),e("article",{class:"card wide","aria-labelledby":"e-least",children:[e("h2",{id:"e-least",children:"Least profitable customers"}),e(_n,{rows:t.leastProfitable,label:"Least profitable customers",currency:a})]}),e("article",{class:"card wide","aria-labelledby":"e-rfm",children:[e("h2",{id:"e-rfm",children:"CLV by RFM segment: simple formula beside the model"}),e("p",{class:"muted small",children:"Simple CLV = margin per order × orders per year × retention rate, per customer, next 12 months; the model's is the average stored 12-month prediction."}),e("table",{class:"list compact","aria-label":"CLV by RFM segment",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Profit"}),e("th",{scope:"col",class:"num",children:"Simple CLV"}),e("th",{scope:"col",class:"num",children:"Model CLV"})]})}),e("tbody",{children:t.byRfmSegment.map(c=>e("tr",{children:[e("td",{children:c.rfmSegment?R(c.rfmSegment):"Not scored"}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.totals.profit,a)}),e("td",{class:"num",children:C(c.simpleClv,a)}),e("td",{class:"num",children:c.customersWithPrediction>0?C(c.modelClv,a):"—"})]},c.rfmSegment??"unscored"))})]})]}),e("article",{class:"card wide","aria-labelledby":"e-acq",children:[e("h2",{id:"e-acq",children:"Acquisition by channel"}),e("p",{class:"muted small",children:["Customers whose first purchase falls between ",M(r.startsAt)," and ",M(m),". CLV:CAC of 3 : 1 or more is healthy; under 1 : 1 the channel costs more than its customers bring."]}),o.length===0?e(D,{children:"No customer made a first purchase in this range."}):e(W,{children:[!d&&e(D,{children:"No marketing spend or acquisition cost is recorded for this range, so there is no CAC to compare with."}),e("table",{class:"list","aria-label":"Acquisition by channel",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"CAC"}),e("th",{scope:"col",class:"num",children:"Average CLV (12 months)"}),e("th",{scope:"col",class:"num",children:"Average CLV (36 months)"}),e("th",{scope:"col",class:"num",children:"CLV:CAC"}),e("th",{scope:"col",class:"num",children:"Payback"})]})}),e("tbody",{children:o.map(c=>e("tr",{children:[e("td",{children:c.acquisitionChannel?R(c.acquisitionChannel):"No channel"}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.cac,r.currency)}),e("td",{class:"num",children:C(c.averageClv,r.currency)}),e("td",{class:"num",children:C(c.averageClv36Months,r.currency)}),e("td",{class:"num",children:e(Tr,{value:c.clvToCac})}),e("td",{class:"num",children:c.paybackMonths==null?"—":`${c.paybackMonths} ${c.paybackMonths===1?"month":"months"}`})]},c.acquisitionChannel??"none"))})]}),z(r.unallocatedSpend)>0&&e("p",{class:"muted small",children:[C(r.unallocatedSpend,r.currency)," of marketing spend fell in months in which its channel acquired nobody."]})]})]}),e("article",{class:"card wide","aria-labelledby":"e-rev",children:[e("h2",{id:"e-rev",children:"Revenue per customer"}),s.revenue.customers===0?e(D,{children:"No revenue yet."}):e(Be,{label:"Customers by revenue to date",bars:s.revenue.histogram.map(c=>({label:`≥ ${ne(c.lower,s.currency)}`,value:c.customers,text:`${c.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"e-clv",children:[e("h2",{id:"e-clv",children:"CLV per customer"}),s.clv.customers===0?e(D,{children:"No CLV predictions yet: fit the value model."}):e(Be,{label:"Customers by 12-month CLV",bars:s.clv.histogram.map(c=>({label:`≥ ${ne(c.lower,s.currency)}`,value:c.customers,text:`${c.customers}`}))})]})]})})}const Mr=N(`
  query Feedback {
    satisfactionReport(period: "month", detractorsLimit: 5) {
      currency
      startsAt
      endsBefore
      overall {
        ...ScoreParts
      }
      overTime {
        key
        scores {
          ...ScoreParts
        }
      }
      byTouchpoint {
        key
        scores {
          ...ScoreParts
        }
      }
      byChannel {
        key
        scores {
          ...ScoreParts
        }
      }
      complaints {
        opened
        resolved
        active
        firstResponseSlaMet
        resolutionSlaMet
        firstResponseMinutesMedian
        resolutionMinutesMedian
      }
      detractorsAtRisk {
        accountId
        name
        nps
        valueAtRisk
      }
    }
    complaints(first: 50) {
      nodes {
        ...ComplaintRow
      }
    }
  }
  fragment ComplaintRow on Complaint {
    id
    accountId
    subject
    category
    severity
    status
    openedAt
    resolutionDueAt
    firstResponseBreached
    resolutionBreached
  }
  fragment ScoreParts on Scores {
    npsResponses
    promoters
    passives
    detractors
    nps
    npsLow
    npsHigh
    csatResponses
    csatAverage
    csatSatisfiedShare
    cesResponses
    cesAverage
  }
`),Or=N(`
  query Complaints($status: String) {
    complaints(first: 50, status: $status) {
      nodes {
        ...ComplaintRow
      }
    }
  }
`),qr=N(`
  query ComplaintDetail($id: ID!) {
    complaint(id: $id) {
      id
      accountId
      orderId
      feedbackId
      category
      severity
      channel
      subject
      description
      status
      openedAt
      firstResponseDueAt
      resolutionDueAt
      firstRespondedAt
      resolvedAt
      closedAt
      firstResponseBreached
      resolutionBreached
      outcome
    }
    complaintHistory(id: $id) {
      id
      kind
      fromStatus
      toStatus
      body
      actorType
      occurredAt
    }
  }
`),Ur=N(`
  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
      complaint {
        id
        status
      }
      compensations {
        kind
        points
        amount
        currency
        paidNow
      }
    }
  }
`),Ze=new Set(["open","in_progress","waiting_for_customer","reopened"]);function Me(n){if(n.nps==null)return"no NPS answers";const t=n.npsLow!=null&&n.npsHigh!=null?` (95 % interval ${Math.round(n.npsLow)} to ${Math.round(n.npsHigh)})`:"";return`NPS ${Math.round(n.nps)}${t}, ${$(n.npsResponses)} answers`}function wn(n){return n==null?"—":n<90?`${Math.round(n)} min`:n<2880?`${(n/60).toFixed(1)} h`:`${(n/1440).toFixed(1)} days`}function zn({c:n}){const t=Ze.has(n.status);return e(W,{children:[n.firstResponseBreached&&e("span",{class:"flag bad",children:"First response late"}),n.resolutionBreached&&e("span",{class:"flag bad",children:t?"Resolution overdue":"Resolved late"}),!n.firstResponseBreached&&!n.resolutionBreached&&e("span",{class:"flag ok",children:"Within SLA"})]})}const Lr=["open","in_progress","waiting_for_customer","reopened","resolved","closed"];function Br({complaint:n}){return n?e(Vr,{id:n}):e(Fr,{})}function Fr(){const n=j(()=>T(Mr),"feedback");if(n.status==="loading")return e(H,{what:"feedback"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{satisfactionReport:t,complaints:r}=n.data,s=t.overall,a=t.overTime.map(c=>({label:c.key,value:c.scores.nps??null,low:c.scores.npsLow??null,high:c.scores.npsHigh??null,text:Me(c.scores)})),o=t.overTime.map(c=>({label:c.key,value:c.scores.csatAverage??null,text:c.scores.csatAverage==null?"no CSAT answers":`CSAT ${c.scores.csatAverage.toFixed(2)} of 5, ${$(c.scores.csatResponses)} answers`})),d=c=>c.filter(l=>l.scores.nps!=null).map(l=>({label:R(l.key),estimate:l.scores.nps??0,low:l.scores.npsLow??null,high:l.scores.npsHigh??null,text:Me(l.scores)})),m=t.complaints;return e(E,{title:"Feedback",children:[s.npsResponses+s.csatResponses+s.cesResponses===0?e(D,{children:"No survey answers in the last 12 months."}):e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"scores-h",children:[e("h2",{id:"scores-h",children:"Scores, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"NPS"}),e("dd",{"data-testid":"nps",children:s.nps==null?"—":Math.round(s.nps)})]}),e("div",{children:[e("dt",{children:"Promoters / passives / detractors"}),e("dd",{children:[$(s.promoters)," / ",$(s.passives)," / ",$(s.detractors)]})]}),e("div",{children:[e("dt",{children:"CSAT (1-5)"}),e("dd",{children:s.csatAverage==null?"—":s.csatAverage.toFixed(2)})]}),e("div",{children:[e("dt",{children:"Satisfied (4-5)"}),e("dd",{children:q(s.csatSatisfiedShare)})]}),e("div",{children:[e("dt",{children:"Effort (CES 1-7)"}),e("dd",{children:s.cesAverage==null?"—":s.cesAverage.toFixed(2)})]})]}),e("p",{class:"muted small",children:["NPS is the share of promoters (9-10) minus the share of detractors (0-6), from −100 to 100; ",Me(s),". The band around the line is its 95 % interval: wide when few answered."]}),e("h3",{class:"small",children:"NPS per month"}),e(yn,{points:a,label:"NPS per month with its 95 % interval",min:-100,max:100,zero:0}),e("h3",{class:"small",children:"CSAT per month"}),e(yn,{points:o,label:"Average CSAT per month, 1 to 5",min:1,max:5})]}),e("article",{class:"card wide","aria-labelledby":"tp-h",children:[e("div",{class:"halves",children:[e("div",{children:[e("h2",{id:"tp-h",children:"NPS by touchpoint"}),d(t.byTouchpoint).length===0?e(D,{children:"No NPS answers."}):e(Fe,{rows:d(t.byTouchpoint),label:"NPS by touchpoint with 95 % intervals"})]}),e("div",{children:[e("h2",{id:"ch-h",children:"NPS by survey channel"}),d(t.byChannel).length===0?e(D,{children:"No NPS answers."}):e(Fe,{rows:d(t.byChannel),label:"NPS by survey channel with 95 % intervals"})]})]}),e("p",{class:"muted small",children:"Each dot is a group’s NPS, the bar its 95 % interval; green when the whole interval is above zero."})]}),e("article",{class:"card","aria-labelledby":"sla-h",children:[e("h2",{id:"sla-h",children:"Complaints, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Opened"}),e("dd",{children:$(m.opened)})]}),e("div",{children:[e("dt",{children:"Still being worked on"}),e("dd",{children:$(m.active)})]}),e("div",{children:[e("dt",{children:"First response in time"}),e("dd",{children:q(m.firstResponseSlaMet)})]}),e("div",{children:[e("dt",{children:"Resolved in time"}),e("dd",{children:q(m.resolutionSlaMet)})]})]}),e("p",{class:"muted small",children:["Median first response ",wn(m.firstResponseMinutesMedian),", median resolution ",wn(m.resolutionMinutesMedian),"."]})]}),e("article",{class:"card","aria-labelledby":"det-h",children:[e("h2",{id:"det-h",children:"Detractors with the most value at risk"}),t.detractorsAtRisk.length===0?e(D,{children:"No detractor."}):e("ul",{class:"plain",children:t.detractorsAtRisk.map(c=>e("li",{children:[e(B,{href:`/customers/${encodeURIComponent(c.accountId)}`,children:c.name})," · NPS ",c.nps??"—"," · ",C(c.valueAtRisk,t.currency)," at risk"]},c.accountId))})]})]}),e(Er,{first:r.nodes})]})}function Er({first:n}){const[t,r]=w(""),s=j(()=>t?T(Or,{status:t}).then(o=>o.complaints.nodes):Promise.resolve(n),`complaints:${t}`),a=s.data??[];return e("article",{class:"card wide complaints","aria-labelledby":"complaints-h",children:[e("div",{class:"row",children:[e("h2",{id:"complaints-h",children:"Complaints"}),e("label",{class:"inline",children:["Status",e("select",{name:"complaint-status",value:t,onChange:o=>r(o.currentTarget.value),children:[e("option",{value:"",children:"All"}),Lr.map(o=>e("option",{value:o,children:R(o)},o))]})]})]}),s.status==="loading"?e(H,{what:"complaints"}):s.status==="error"?e(V,{error:s.error,retry:s.reload}):a.length===0?e(D,{children:["No complaint",t?" with this status":"","."]}):e("table",{class:"list","aria-label":"Complaints",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Opened"}),e("th",{scope:"col",children:"Subject"}),e("th",{scope:"col",children:"Severity"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Service level"})]})}),e("tbody",{children:a.map(o=>e("tr",{"data-status":o.status,children:[e("td",{children:M(o.openedAt)}),e("td",{children:[e(B,{href:`/feedback/complaints/${encodeURIComponent(o.id)}`,children:o.subject}),e("div",{class:"small muted",children:R(o.category)})]}),e("td",{children:R(o.severity)}),e("td",{children:[R(o.status),Ze.has(o.status)?e("div",{class:"small muted",children:["due ",M(o.resolutionDueAt)]}):null]}),e("td",{children:e(zn,{c:o})})]},o.id))})]})]})}function Vr({id:n}){const t=de(),r=j(()=>T(qr,{id:n}),n),[s,a]=w(""),[o,d]=w(""),[m,c]=w(!1),[l,y]=w(null);if(r.status==="loading")return e(H,{what:"the complaint"});if(r.status==="error")return e(V,{error:r.error,retry:r.reload});const{complaint:u,complaintHistory:i}=r.data,p=fe(t,"complaints")&&Ze.has(u.status),h=async v=>{v.preventDefault(),c(!0),y(null);try{const k=o.trim()?String(Math.round(Number(o))):null,_=(await T(Ur,{id:u.id,input:{outcome:s.trim(),points:k},key:ae()})).resolveComplaint.compensations.filter(f=>f.paidNow).map(f=>f.kind==="points"?`${$(f.points??0)} points credited`:f.kind==="refund"?`${C(f.amount,f.currency??void 0)} refunded`:"a voucher issued");y({ok:!0,text:`Complaint resolved${_.length?`: ${_.join(", ")}`:""}.`}),a(""),d(""),r.reload()}catch(k){y({ok:!1,text:Y(k)})}finally{c(!1)}};return e(E,{title:u.subject,actions:e("button",{type:"button",class:"secondary",onClick:()=>Ge("/feedback"),children:"All feedback"}),children:[e(Xe,{notice:l,testid:"complaint-notice"}),e("p",{class:"muted",children:[R(u.category)," · ",R(u.severity)," severity",u.channel?` · through ${u.channel}`:""," · opened ",M(u.openedAt)," ·"," ",e(B,{href:`/customers/${encodeURIComponent(u.accountId)}`,children:"the customer’s page"})]}),e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"state-h",children:[e("h2",{id:"state-h",children:"Status"}),e("p",{class:"big","data-testid":"complaint-status",children:R(u.status)}),e("p",{children:e(zn,{c:u})}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"First response due"}),e("dd",{class:"small",children:u.firstRespondedAt?`answered ${M(u.firstRespondedAt)}`:M(u.firstResponseDueAt)})]}),e("div",{children:[e("dt",{children:"Resolution due"}),e("dd",{class:"small",children:u.resolvedAt?`resolved ${M(u.resolvedAt)}`:M(u.resolutionDueAt)})]})]}),u.description&&e("p",{children:u.description}),u.outcome&&e("p",{children:[e("strong",{children:"Outcome:"})," ",u.outcome]}),u.feedbackId&&e("p",{class:"small muted",children:"Opened from a detractor’s survey answer."})]}),p&&e("article",{class:"card","aria-labelledby":"resolve-h",children:[e("h2",{id:"resolve-h",children:"Resolve"}),e("form",{class:"rule",onSubmit:v=>{h(v)},children:[e("label",{children:["What was done (outcome)",e("textarea",{name:"outcome",required:!0,maxLength:5e3,value:s,onInput:v=>a(v.currentTarget.value)})]}),e("label",{children:["Loyalty points as compensation (optional)",e("input",{type:"number",name:"points",min:1,step:1,value:o,onInput:v=>d(v.currentTarget.value)})]}),e("button",{type:"submit",disabled:m||!s.trim(),children:"Resolve complaint"})]})]}),e("article",{class:"card wide","aria-labelledby":"history-h",children:[e("h2",{id:"history-h",children:"History"}),i.length===0?e(D,{children:"Nothing happened yet."}):e("ol",{class:"timeline","aria-label":"Complaint history",children:i.map(v=>e("li",{children:[e("time",{dateTime:v.occurredAt,children:M(v.occurredAt)})," ",e("strong",{children:v.kind==="status"?`${v.fromStatus?`${R(v.fromStatus)} → `:""}${R(v.toStatus)}`:v.kind==="assigned"?"Assigned":v.kind==="compensation"?"Compensation":"Note"})," ",v.body??""," ",e("span",{class:"small muted",children:["by ",v.actorType==="api_key"?"an API key":v.actorType==="system"?"the system":"a user"]})]},v.id))})]})]})]})}const Hr=N(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);function Wr(){const n=j(()=>T(Hr),"loyalty");if(n.status==="loading")return e(H,{what:"the loyalty programme"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(E,{title:"Loyalty",children:e(D,{children:"There is no loyalty programme in this workspace yet."})});const s=a=>t.qualification==="spend"?C(a,t.currency):`${$(a)} points`;return e(E,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",C(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(D,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(a=>e("li",{children:[e("strong",{children:a.name})," from ",s(a.threshold)," · earns ×",(a.multiplierPermille/1e3).toFixed(2),a.benefits?e("div",{class:"small muted",children:a.benefits}):null]},a.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(D,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(a=>e("tr",{children:[e("td",{children:[a.name,a.description?e("div",{class:"small muted",children:a.description}):null]}),e("td",{class:"num",children:$(a.pointsCost)}),e("td",{class:"num",children:a.stock==null?"unlimited":$(a.stock)}),e("td",{children:a.availableUntil?M(a.availableUntil):"no end"})]},a.id))})]})]})]})})}const Kr=N(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      currency
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
        revenue
        margin
      }
      expected {
        expectedChurnRate
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      pageInfo {
        hasNextPage
      }
      nodes {
        amount
        currency
      }
    }
    satisfactionReport(period: "month", detractorsLimit: 1) {
      overall {
        nps
        npsResponses
      }
      overTime {
        key
        scores {
          nps
        }
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);function jr(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function zr(){const n=j(()=>T(Kr,{from:jr()}),"overview");if(n.status==="loading")return e(H,{what:"the overview"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:s,deals:a,satisfactionReport:o}=n.data,d=o.overTime.filter(u=>u.scores.nps!=null).map(u=>u.scores.nps??0),m=new Map;a.nodes.forEach(u=>m.set(u.currency,(m.get(u.currency)??0)+z(u.amount)));const c=r.periods,l=c[c.length-1],y=t.revenue.concentration.find(u=>u.topPercent===10);return e(E,{title:"Overview",children:t.revenue.customers===0?e(D,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:$(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[l?$(l.activeCustomers):"—",e(oe,{values:c.map(u=>u.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:C(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"Revenue this month so far"}),e("dd",{"data-testid":"revenue-month",children:[l?C(l.revenue,r.currency):"—",e(oe,{values:c.map(u=>z(u.revenue)),label:`Revenue per month, last 12 months: ${c.map(u=>`${u.period} ${ne(u.revenue,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"Margin this month so far"}),e("dd",{children:[l?C(l.margin,r.currency):"—",e(oe,{values:c.map(u=>z(u.margin)),label:`Margin per month, last 12 months: ${c.map(u=>`${u.period} ${ne(u.margin,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:C(t.clv.total,t.currency)})]})]}),y&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",q(y.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:q(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[l?q(l.churnRate,1):"—",e(oe,{values:c.map(u=>u.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[l?$(l.newCustomers):"—",e(oe,{values:c.map(u=>u.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",q(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-nps",children:[e("h2",{id:"k-nps",children:"Satisfaction"}),e("dl",{class:"kpis",children:e("div",{children:[e("dt",{children:"NPS, last 12 months"}),e("dd",{children:[o.overall.nps==null?"—":Math.round(o.overall.nps),e(oe,{values:d,label:`NPS per month: ${d.map(u=>Math.round(u)).join(", ")}`})]})]})}),e("p",{class:"small",children:[$(o.overall.npsResponses)," answers · ",e(B,{href:"/feedback",children:"Feedback and complaints"})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-pipeline",children:[e("h2",{id:"k-pipeline",children:"Open pipeline"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Open deals"}),e("dd",{children:[$(a.nodes.length),a.pageInfo.hasNextPage?"+":""]})]}),[...m].map(([u,i])=>e("div",{children:[e("dt",{children:["Value in ",u]}),e("dd",{children:C(i,u)})]},u))]}),e("p",{class:"small",children:e(B,{href:"/pipeline",children:"Open the board"})})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),s.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:s.nodes.map(u=>e("li",{children:[e(B,{href:`/customers/${encodeURIComponent(u.accountId)}`,children:u.name})," · ",C(u.valueAtRisk,t.currency)," at risk ·"," ",q(u.churnProbability)," churn"]},u.accountId))}),e("p",{class:"small",children:e(B,{href:"/value",children:"See the whole value picture"})})]})]})})}const Qr=N(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`),Jr=N(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function $n(){const n=await T(Qr);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function Yr(){const n=de(),t=fe(n,"deals"),[r,s]=w(null),a=j($n,"board"),[o,d]=w(new Map),[m,c]=w(null),[l,y]=w(null),[u,i]=w(null);if(a.status==="loading")return e(H,{what:"the pipeline"});if(a.status==="error")return e(V,{error:a.error,retry:a.reload});const{pipelines:p}=a.data,h=p.find(f=>f.id===r)??p[0];if(!h)return e(E,{title:"Pipeline",children:e(D,{children:"No pipeline yet."})});const v=a.data.deals.filter(f=>f.pipelineId===h.id).map(f=>o.get(f.id)??f),k=f=>h.stages.find(b=>b.id===f)?.name??"another stage",I=async(f,b)=>{if(f.stageId===b||u)return;const S=h.stages.find(x=>x.id===b);let g;if(!(S?.kind==="lost"&&(g=window.prompt(`Why was “${f.title}” lost?`,"price")??void 0,!g))){i(f.id),c(null);try{const x=await T(Jr,{id:f.id,stageId:b,ifVersion:f.version,lostReason:g??null,key:ae()});d(L=>new Map(L).set(f.id,{...f,stageId:x.moveDeal.stageId,version:x.moveDeal.version})),c({kind:"ok",text:`“${f.title}” moved to ${k(x.moveDeal.stageId)}.`})}catch(x){if(x instanceof ee&&x.code==="precondition_failed"){let L="";try{const K=(await $n()).deals.find(A=>A.id===f.id);L=K?` It is now in ${k(K.stageId)}.`:" It is no longer open."}catch{}d(new Map),c({kind:"conflict",text:`“${f.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${L} The board now shows the latest state.`}),a.reload()}else c({kind:"conflict",text:Y(x)})}finally{i(null)}}},_=new Map(v.map(f=>[f.id,f]));return e(E,{title:"Pipeline",actions:p.length>1?e("label",{children:["Pipeline",e("select",{value:h.id,onChange:f=>s(f.currentTarget.value),children:p.map(f=>e("option",{value:f.id,children:f.name},f.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:m&&e("p",{class:`notice ${m.kind}`,role:m.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:m.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:h.stages.map(f=>{const b=v.filter(g=>g.stageId===f.id),S=new Map;return b.forEach(g=>S.set(g.currency,(S.get(g.currency)??0)+z(g.amount))),e("section",{class:`column${l===f.id?" over":""}`,"aria-label":`Stage ${f.name}`,"data-stage":f.name,"data-kind":f.kind,onDragOver:g=>{t&&(g.preventDefault(),y(f.id))},onDragLeave:()=>y(null),onDrop:g=>{g.preventDefault(),y(null);const x=_.get(g.dataTransfer?.getData("text/plain")??"");x&&t&&I(x,f.id)},children:[e("h2",{children:[e("span",{children:f.name}),e("span",{class:"muted small",children:[f.probability," %"]})]}),e("p",{class:"muted small",children:[$(b.length)," deals",[...S].map(([g,x])=>` · ${C(x,g)}`).join("")]}),b.map(g=>e("article",{class:"deal",draggable:t,"data-deal":g.title,"aria-busy":u===g.id,onDragStart:x=>x.dataTransfer?.setData("text/plain",g.id),children:[e("strong",{children:g.title}),e("div",{class:"small",children:C(g.amount,g.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:g.stageId,onChange:x=>{I(g,x.currentTarget.value)},"aria-label":`Move ${g.title} to stage`,children:h.stages.map(x=>e("option",{value:x.id,children:x.name},x.id))})]})]},g.id))]},f.id)})})]})}const Gr=N(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`),Xr=N(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),Zr=N(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Ee=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],kn={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function Ve(n){return Ee.find(t=>t.name===n)??Ee[0]}function es(n,t){const r=[];for(const s of t){const a=Ve(s.field),o=s.value.trim();if(!o)return{problem:`Give a value for “${a.label}”.`};let d=o;if(a.kind==="number"||a.kind==="money"||a.kind==="share"){const m=Number(o);if(!Number.isFinite(m))return{problem:`“${a.label}” needs a number.`};d=a.kind==="money"?Math.round(m*100):a.kind==="share"?m/100:m}r.push({field:a.name,op:s.op,value:d})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function ns({onSaved:n}){const t=de(),[r,s]=w("all"),[a,o]=w([{field:"orders_count",op:">=",value:"3"}]),[d,m]=w(""),[c,l]=w({status:"idle"}),[y,u]=w(null),[i,p]=w(null),h=es(r,a),v=JSON.stringify(h);G(()=>{if(!("rule"in h)){l({status:"error",text:h.problem});return}let _=!1;l(b=>({...b,status:"loading"}));const f=setTimeout(()=>{T(Xr,{rule:h.rule}).then(b=>!_&&l({status:"ok",count:b.previewSegment.count,sample:b.previewSegment.sample}),b=>!_&&l({status:"error",text:Y(b)}))},350);return()=>{_=!0,clearTimeout(f)}},[v]);const k=(_,f)=>o(b=>b.map((S,g)=>{if(g!==_)return S;const x={...S,...f};if(f.field){const L=Ve(f.field);x.op=kn[L.kind][0]?.[0]??"=",x.value=L.choices?.[0]??""}return x})),I=async _=>{if(_.preventDefault(),"rule"in h){p(null);try{const f=await T(Zr,{input:{name:d.trim(),rule:h.rule,tracked:!1},key:ae()});u(f.createSegment.name),m(""),n()}catch(f){p(f)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:_=>s(_.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),a.map((_,f)=>{const b=Ve(_.field);return e("fieldset",{class:"condition","aria-label":`Condition ${f+1}`,children:[e("label",{children:["Field",e("select",{value:_.field,onChange:S=>k(f,{field:S.currentTarget.value}),children:Ee.map(S=>e("option",{value:S.name,children:S.label},S.name))})]}),e("label",{children:["Comparison",e("select",{value:_.op,onChange:S=>k(f,{op:S.currentTarget.value}),children:kn[b.kind].map(([S,g])=>e("option",{value:S,children:g},S))})]}),e("label",{children:["Value",b.kind==="money"?" (whole units)":"",b.choices?e("select",{value:_.value,onChange:S=>k(f,{value:S.currentTarget.value}),children:b.choices.map(S=>e("option",{value:S,children:S.replace(/_/g," ")},S))}):e("input",{value:_.value,inputMode:b.kind==="text"?"text":"decimal",onInput:S=>k(f,{value:S.currentTarget.value})})]}),a.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>o(S=>S.filter((g,x)=>x!==f)),children:"Remove"})]},f)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>o(_=>[..._,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[c.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),c.status==="ok"&&e(W,{children:[e("p",{class:"count","data-testid":"preview-count",children:[$(c.count??0)," customers match now"]}),(c.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(c.sample??[]).map((_,f)=>e("span",{children:[f>0?", ":"",e(B,{href:`/customers/${encodeURIComponent(_.id)}`,children:_.name})]},_.id))]})]}),c.status==="error"&&e("p",{class:"state error",role:"alert",children:c.text})]}),fe(t,"segments")&&e("form",{class:"row",onSubmit:_=>{I(_)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:d,onInput:_=>m(_.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in h)||!d.trim(),children:"Save segment"})]}),y&&e("p",{class:"notice ok",role:"status",children:["Saved “",y,"”."]}),i!=null&&e(V,{error:i})]})}function ts(){const n=j(()=>T(Gr),"segments");return e(E,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(H,{what:"segments"}),n.status==="error"&&e(V,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(D,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(ns,{onSaved:n.reload})]})})}const rs=N(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
        version
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`),ss=N(`
  mutation CreateUser($input: NewUser!) {
    createUser(input: $input) {
      id
      name
      role
    }
  }
`),is=N(`
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    updateUser(id: $id, input: { disabled: $disabled }) {
      id
      disabled
    }
  }
`),as=N(`
  mutation CreateApiKey($input: NewApiKey!) {
    createApiKey(input: $input) {
      id
      name
      scopes
      secret
    }
  }
`),os=N(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`),ls=N(`
  mutation CreateWebhook($input: NewWebhook!) {
    createWebhook(input: $input) {
      id
      url
      secret
    }
  }
`),cs=N(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`),ds=N(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);function us({id:n}){const t=j(()=>T(ds,{id:n}),n);if(t.status==="loading")return e(H,{what:"deliveries"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.webhookDeliveries.nodes;return r.length===0?e(D,{children:"Nothing delivered yet."}):e("table",{class:"list compact","aria-label":"Delivery log",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"When"}),e("th",{scope:"col",children:"Event"}),e("th",{scope:"col",children:"Attempt"}),e("th",{scope:"col",children:"Outcome"}),e("th",{scope:"col",class:"num",children:"Status"}),e("th",{scope:"col",class:"num",children:"Latency"})]})}),e("tbody",{children:r.map(s=>e("tr",{children:[e("td",{children:M(s.createdAt)}),e("td",{children:s.eventType}),e("td",{children:[s.attempt," (",s.trigger,")"]}),e("td",{children:[R(s.outcome),s.error?e("div",{class:"small muted",children:s.error}):null]}),e("td",{class:"num",children:s.statusCode??"—"}),e("td",{class:"num",children:[s.latencyMs," ms"]})]},s.id))})]})}const hs=["viewer","agent","manager","admin","owner"],ms=["accounts:read","accounts:write","orders:read","orders:write","deals:read","deals:write","loyalty:read","loyalty:write","analytics:read","campaigns:read","campaigns:write","offers:read","offers:write","events:read","admin"];function en(n){const[t,r]=w(!1);return{busy:t,run:async a=>{r(!0);try{const o=await a();typeof o=="string"?n(o,!0):n(o[0],!0,o[1])}catch(o){n(Y(o),!1)}finally{r(!1)}}}}function ps({users:n,me:t,owner:r,done:s}){const{busy:a,run:o}=en(s),[d,m]=w(""),[c,l]=w(""),[y,u]=w(""),[i,p]=w("agent");return e("article",{class:"card wide","aria-labelledby":"users-h",children:[e("h2",{id:"users-h",children:"Users"}),e("table",{class:"list","aria-labelledby":"users-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"E-mail"}),e("th",{scope:"col",children:"Role"}),e("th",{scope:"col",children:"Last sign-in"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(h=>e("tr",{children:[e("td",{children:[h.name,h.disabled?" (disabled)":""]}),e("td",{children:h.email}),e("td",{children:R(h.role)}),e("td",{children:h.lastLoginAt?M(h.lastLoginAt):"never"}),e("td",{children:h.email!==t&&e("button",{type:"button",class:"secondary",disabled:a,onClick:()=>{o(async()=>(await T(is,{id:h.id,disabled:!h.disabled}),h.disabled?`${h.name} can sign in again.`:`${h.name} is disabled: their sessions have ended.`))},children:h.disabled?`Enable ${h.name}`:`Disable ${h.name}`})})]},h.id))})]}),e("h3",{class:"small",children:"Add a user"}),e("form",{class:"condition",onSubmit:h=>{h.preventDefault(),o(async()=>{const v=await T(ss,{input:{email:d.trim(),name:c.trim(),password:y,role:i}});return m(""),l(""),u(""),`${v.createUser.name} was added as ${R(v.createUser.role).toLowerCase()}; give them their password yourself.`})},children:[e("label",{children:["Name",e("input",{name:"user-name",required:!0,maxLength:200,value:c,onInput:h=>l(h.currentTarget.value)})]}),e("label",{children:["E-mail",e("input",{name:"user-email",type:"email",required:!0,value:d,onInput:h=>m(h.currentTarget.value)})]}),e("label",{children:["Password (10 or more characters)",e("input",{name:"user-password",type:"password",autocomplete:"new-password",required:!0,minLength:10,maxLength:256,value:y,onInput:h=>u(h.currentTarget.value)})]}),e("label",{children:["Role",e("select",{name:"user-role",value:i,onChange:h=>p(h.currentTarget.value),children:hs.filter(h=>r||h!=="owner").map(h=>e("option",{value:h,children:R(h)},h))})]}),e("button",{type:"submit",disabled:a||!d.trim()||!c.trim()||y.length<10,children:"Add user"})]})]})}function fs({keys:n,done:t}){const{busy:r,run:s}=en(t),[a,o]=w(""),[d,m]=w(["accounts:read"]),c=l=>m(d.includes(l)?d.filter(y=>y!==l):[...d,l]);return e("article",{class:"card wide","aria-labelledby":"keys-h",children:[e("h2",{id:"keys-h",children:"API keys"}),n.length===0?e(D,{children:"No API key."}):e("table",{class:"list","aria-labelledby":"keys-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Prefix"}),e("th",{scope:"col",children:"Scopes"}),e("th",{scope:"col",children:"Last used"}),e("th",{scope:"col",children:"State"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(l=>e("tr",{"data-key":l.name,children:[e("td",{children:l.name}),e("td",{children:e("code",{children:`rk_${l.prefix}_…`})}),e("td",{class:"small",children:l.scopes.join(", ")}),e("td",{children:l.lastUsedAt?M(l.lastUsedAt):"never"}),e("td",{children:l.revokedAt?`revoked ${M(l.revokedAt)}`:l.expiresAt?`expires ${M(l.expiresAt)}`:"active"}),e("td",{children:!l.revokedAt&&e("button",{type:"button",class:"secondary",disabled:r,onClick:()=>{s(async()=>(await T(os,{id:l.id}),`The key “${l.name}” is revoked: requests carrying it are refused from now on.`))},children:["Revoke “",l.name,"”"]})})]},l.id))})]}),e("h3",{class:"small",children:"Create a key"}),e("form",{class:"rule",onSubmit:l=>{l.preventDefault(),s(async()=>{const y=await T(as,{input:{name:a.trim(),scopes:d}});return o(""),[`The key “${y.createApiKey.name}” was created with ${y.createApiKey.scopes.join(", ")}. Copy its secret now: it is not shown again.`,{label:"API key secret",value:y.createApiKey.secret}]})},children:[e("label",{children:["Key name",e("input",{name:"key-name",required:!0,maxLength:200,value:a,onInput:l=>o(l.currentTarget.value)})]}),e("fieldset",{class:"scopes",children:[e("legend",{children:"Scopes (no wider than your own)"}),ms.map(l=>e("label",{children:[e("input",{type:"checkbox",checked:d.includes(l),onChange:()=>c(l)})," ",l]},l))]}),e("button",{type:"submit",disabled:r||!a.trim()||d.length===0,children:"Create key"})]})]})}function ys({hooks:n,done:t}){const{busy:r,run:s}=en(t),[a,o]=w(null),[d,m]=w(null),[c,l]=w(""),[y,u]=w("order.*"),[i,p]=w("");return e("article",{class:"card wide","aria-labelledby":"hooks-h",children:[e("h2",{id:"hooks-h",children:"Webhooks"}),n.length===0?e(D,{children:"No webhook subscription."}):e("ul",{class:"plain",children:n.map(h=>e("li",{children:[e("div",{class:"row",children:[e("strong",{children:h.url}),e("span",{class:"small muted",children:[h.eventTypes.join(", ")," · ",h.enabled?"enabled":`disabled${h.disabledReason?`: ${h.disabledReason}`:""}`,h.description?` · ${h.description}`:""]}),e("button",{type:"button",class:"secondary","aria-expanded":a===h.id,onClick:()=>o(a===h.id?null:h.id),children:a===h.id?"Hide deliveries":"Show deliveries"}),d===h.id?e("button",{type:"button",disabled:r,onClick:()=>{s(async()=>(await T(cs,{id:h.id}),m(null),`The subscription to ${h.url} and its delivery log are deleted.`))},children:"Confirm: delete it and its log"}):e("button",{type:"button",class:"secondary",onClick:()=>m(h.id),children:"Delete"})]}),a===h.id&&e(us,{id:h.id})]},h.id))}),e("h3",{class:"small",children:"Subscribe a URL"}),e("form",{class:"condition",onSubmit:h=>{h.preventDefault(),s(async()=>{const v=y.split(/[\s,]+/).map(I=>I.trim()).filter(Boolean),k=await T(ls,{input:{url:c.trim(),eventTypes:v,description:i.trim()||null}});return l(""),p(""),[`Deliveries to ${k.createWebhook.url} start with the next matching event. Copy the signing secret now: it is not shown again.`,{label:"Signing secret",value:k.createWebhook.secret}]})},children:[e("label",{children:["URL (https)",e("input",{name:"hook-url",type:"url",required:!0,value:c,onInput:h=>l(h.currentTarget.value)})]}),e("label",{children:["Event types (order.*, deal.won, * …)",e("input",{name:"hook-events",required:!0,value:y,onInput:h=>u(h.currentTarget.value)})]}),e("label",{children:["Description",e("input",{name:"hook-description",maxLength:500,value:i,onInput:h=>p(h.currentTarget.value)})]}),e("button",{type:"submit",disabled:r||!c.trim()||!y.trim(),children:"Subscribe"})]})]})}function gs(){const n=de(),t=n.role==="owner"||n.role==="admin",r=j(()=>t?T(rs):Promise.resolve(null),"settings"),[s,a]=w(null),[o,d]=w(null);if(!t)return e(E,{title:"Settings",children:e(D,{children:"Only owners and admins manage users, API keys and webhooks."})});if(r.status==="loading")return e(H,{what:"settings"});if(r.status==="error")return e(V,{error:r.error,retry:r.reload});if(!r.data)return null;const{users:m,apiKeys:c,webhooks:l}=r.data,y=(u,i,p)=>{a({ok:i,text:u}),d(p??null),i&&r.reload()};return e(E,{title:"Settings",children:[e(Xe,{notice:s,testid:"settings-notice"}),o&&e("div",{class:"notice ok","data-testid":"secret",children:[e("strong",{children:o.label})," (shown once):",e("code",{class:"secret",children:o.value}),e("button",{type:"button",class:"secondary",onClick:()=>d(null),children:"I have kept it"})]}),e("div",{class:"grid",children:[e(ps,{users:m.nodes,me:n.email,owner:n.role==="owner",done:y}),e(fs,{keys:c.nodes,done:y}),e(ys,{hooks:l.nodes,done:y})]})]})}function vs(){const[n,t]=w(""),[r,s]=w(""),[a,o]=w(!1),[d,m]=w(null),c=async l=>{l.preventDefault(),o(!0),m(null);try{await mt(n.trim(),r)}catch(y){m(y),o(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:l=>{c(l)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:l=>t(l.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:l=>s(l.currentTarget.value)})]}),d!=null&&e("p",{class:"state error",role:"alert",children:Y(d)}),e("button",{type:"submit",disabled:a,children:a?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const bs=N(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);function _s(){const n=j(()=>T(bs),"value");if(n.status==="loading")return e(H,{what:"value"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:s}=n.data;return e(E,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(D,{children:"No customer is scored yet: fit the value model once there are orders."}):e(W,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${M(t.breakpointsFittedAt)}`:"","."]}),e(Gt,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(a=>e("tr",{children:[e("td",{children:a.label}),e("td",{class:"num",children:a.accounts}),e("td",{class:"num",children:q(a.shareOfAccounts)}),e("td",{class:"num",children:C(a.revenue,t.currency)}),e("td",{class:"num",children:q(a.shareOfRevenue)})]},a.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(D,{children:"No CLV predictions yet."}):e(Be,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(a=>({label:`≥ ${ne(a.lower,r.currency)}`,value:a.customers,text:`${a.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),s.nodes.length===0?e(D,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:s.nodes.map(a=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(a.accountId)}`,children:a.name})}),e("td",{children:R(a.segment)}),e("td",{children:e("span",{class:`band ${a.riskBand}`,children:R(a.riskBand)})}),e("td",{class:"num",children:q(a.churnProbability)}),e("td",{class:"num",children:C(a.clv,t.currency)}),e("td",{class:"num",children:C(a.valueAtRisk,t.currency)})]},a.accountId))})]})]})]})})}const ws=N(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`),$s=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/economics","Economics"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/offers","Offers"],["/feedback","Feedback"],["/loyalty","Loyalty"],["/data","Data"],["/settings","Settings"]];function ks(n,t){return n==="/settings"?t==="owner"||t==="admin":n==="/data"?t==="owner"||t==="admin"||t==="manager":!0}function Cs({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(zr,{});case"customers":return t[1]?e(Cr,{id:decodeURIComponent(t[1])}):e(xr,{});case"value":return e(_s,{});case"cohorts":return e(ur,{});case"economics":return e(Nr,{});case"data":return e(Pr,{});case"loyalty":return e(Wr,{});case"settings":return e(gs,{});case"pipeline":return e(Yr,{});case"segments":return e(ts,{});case"offers":return e(br,{});case"feedback":return e(Br,{complaint:t[1]==="complaints"&&t[2]?decodeURIComponent(t[2]):null});case"campaigns":return e(lr,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(B,{href:"/",children:"Go to the overview"}),"."]})]})}}function Ss({me:n}){const t=er(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(Kn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:$s.filter(([s])=>ks(s,n.role)).map(([s,a])=>e("li",{children:e(B,{href:s,"aria-current":r===s?"page":void 0,children:a})},s))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{Vn()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(Cs,{path:t})})]})}function As(){const[n,t]=w(ht()),[r,s]=w(null),[a,o]=w(null);return G(()=>ut(d=>t(d)),[]),G(()=>{if(!n){s(null);return}o(null),T(ws).then(d=>{pt(d.valueSettings.reportingCurrency),s({name:d.me?.name??"API key",email:d.me?.email??"",role:d.me?.role??"viewer",workspace:d.workspace.name,currency:d.valueSettings.reportingCurrency})},d=>o(d))},[n]),n?a?e(V,{error:a,retry:()=>{Vn()}}):r?e(Ss,{me:r}):e(H,{what:"your workspace"}):e(vs,{})}const Cn=document.getElementById("app");Cn&&tt(e(As,{}),Cn);
