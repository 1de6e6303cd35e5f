var we,S,dn,X,We,un,hn,xe,de,se,mn,Ne,Re,Ie,pn,fe={},_e=[],Tn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,$e=Array.isArray;function Q(n,t){for(var r in t)n[r]=t[r];return n}function qe(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function Mn(n,t,r){var a,i,s,o={};for(s in t)s=="key"?a=t[s]:s=="ref"?i=t[s]:o[s]=t[s];if(arguments.length>2&&(o.children=arguments.length>3?we.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(s in n.defaultProps)o[s]===void 0&&(o[s]=n.defaultProps[s]);return ue(n,o,a,i,null)}function ue(n,t,r,a,i){var s={type:n,props:t,key:r,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:i??++dn,__i:-1,__u:0};return i==null&&S.vnode!=null&&S.vnode(s),s}function Y(n){return n.children}function he(n,t){this.props=n,this.context=t}function ee(n,t){if(t==null)return n.__?ee(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?ee(n):null}function Nn(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,a=[],i=[],s=Q({},t);s.__v=t.__v+1,S.vnode&&S.vnode(s),Oe(n.__P,s,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,a,r??ee(t),!!(32&t.__u),i),s.__v=t.__v,s.__.__k[s.__i]=s,vn(a,s,i),t.__e=t.__=null,s.__e!=r&&fn(s)}}function fn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),fn(n)}function Pe(n){(!n.__d&&(n.__d=!0)&&X.push(n)&&!ge.__r++||We!=S.debounceRendering)&&((We=S.debounceRendering)||un)(ge)}function ge(){try{for(var n,t=1;X.length;)X.length>t&&X.sort(hn),n=X.shift(),t=X.length,Nn(n)}finally{X.length=ge.__r=0}}function _n(n,t,r,a,i,s,o,l,h,d,u){var _,c,f,v,C,$,x=a&&a.__k||_e,y=t.length;for(h=qn(r,t,x,h,y),_=0;_<y;_++)(f=r.__k[_])!=null&&(c=f.__i!=-1&&x[f.__i]||fe,f.__i=_,$=Oe(n,f,c,i,s,o,l,h,d,u),v=f.__e,f.ref&&c.ref!=f.ref&&(c.ref&&Ue(c.ref,null,f),u.push(f.ref,f.__c||v,f)),C==null&&v!=null&&(C=v),4&f.__u?(h=gn(f,h,n),c.__e&&(c.__e=null)):typeof f.type=="function"&&$!==void 0?h=$:v&&(h=v.nextSibling),f.__u&=-7);return r.__e=C,h}function qn(n,t,r,a,i){var s,o,l,h,d,u=r.length,_=u,c=0;for(n.__k=new Array(i),s=0;s<i;s++)(o=t[s])!=null&&typeof o!="boolean"&&typeof o!="function"?(typeof o=="string"||typeof o=="number"||typeof o=="bigint"||o.constructor==String?o=n.__k[s]=ue(null,o,null,null,null):$e(o)?o=n.__k[s]=ue(Y,{children:o},null,null,null):o.constructor===void 0&&o.__b>0?o=n.__k[s]=ue(o.type,o.props,o.key,o.ref?o.ref:null,o.__v):n.__k[s]=o,h=s+c,o.__=n,o.__b=n.__b+1,l=null,(d=o.__i=On(o,r,h,_))!=-1&&(_--,(l=r[d])&&(l.__u|=2)),l==null||l.__v==null?(d==-1&&(i>u?c--:i<u&&c++),typeof o.type!="function"&&(o.__u|=4)):d!=h&&(d==h-1?c--:d==h+1?c++:(d>h?c--:c++,o.__u|=4))):n.__k[s]=null;if(_)for(s=0;s<u;s++)(l=r[s])!=null&&(2&l.__u)==0&&(l.__e==a&&(a=ee(l)),wn(l,l));return a}function gn(n,t,r){var a,i;if(typeof n.type=="function"){for(a=n.__k,i=0;a&&i<a.length;i++)a[i]&&(a[i].__=n,t=gn(a[i],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=ee(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function On(n,t,r,a){var i,s,o,l=n.key,h=n.type,d=t[r],u=d!=null&&(2&d.__u)==0;if(d===null&&l==null||u&&l==d.key&&h==d.type)return r;if(a>(u?1:0)){for(i=r-1,s=r+1;i>=0||s<t.length;)if((d=t[o=i>=0?i--:s++])!=null&&(2&d.__u)==0&&l==d.key&&h==d.type)return o}return-1}function je(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||Tn.test(t)?r:r+"px"}function le(n,t,r,a,i){var s,o;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof a=="string"&&(n.style.cssText=a=""),a)for(t in a)r&&t in r||je(n.style,t,"");if(r)for(t in r)a&&r[t]==a[t]||je(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(mn,"$1")),o=t.toLowerCase(),t=o in n||t=="onFocusOut"||t=="onFocusIn"?o.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+s]=r,r?a?r[se]=a[se]:(r[se]=Ne,n.addEventListener(t,s?Ie:Re,s)):n.removeEventListener(t,s?Ie:Re,s);else{if(i=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function ze(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[de]==null)t[de]=Ne++;else if(t[de]<r[se])return;return r(S.event?S.event(t):t)}}}function Oe(n,t,r,a,i,s,o,l,h,d){var u,_,c,f,v,C,$,x,y,p,w,b,m,g,A,L,R=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(h=!!(32&r.__u),s=[l=t.__e=r.__e]),(u=S.__b)&&u(t);e:if(typeof R=="function"){_=o.length;try{if(y=t.props,p=R.prototype&&R.prototype.render,w=(u=R.contextType)&&a[u.__c],b=u?w?w.props.value:u.__:a,r.__c?x=(c=t.__c=r.__c).__=c.__E:(p?t.__c=c=new R(y,b):(t.__c=c=new he(y,b),c.constructor=R,c.render=Ln),w&&w.sub(c),c.state||(c.state={}),c.__n=a,f=c.__d=!0,c.__h=[],c._sb=[]),p&&c.__s==null&&(c.__s=c.state),p&&R.getDerivedStateFromProps!=null&&(c.__s==c.state&&(c.__s=Q({},c.__s)),Q(c.__s,R.getDerivedStateFromProps(y,c.__s))),v=c.props,C=c.state,c.__v=t,f)p&&R.getDerivedStateFromProps==null&&c.componentWillMount!=null&&c.componentWillMount(),p&&c.componentDidMount!=null&&c.__h.push(c.componentDidMount);else{if(p&&R.getDerivedStateFromProps==null&&y!==v&&c.componentWillReceiveProps!=null&&c.componentWillReceiveProps(y,b),t.__v==r.__v||!c.__e&&c.shouldComponentUpdate!=null&&c.shouldComponentUpdate(y,c.__s,b)===!1){t.__v!=r.__v&&(c.props=y,c.state=c.__s,c.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(F){F&&(F.__=t)}),_e.push.apply(c.__h,c._sb),c._sb=[],c.__h.length&&o.push(c),l=ee(r);break e}c.componentWillUpdate!=null&&c.componentWillUpdate(y,c.__s,b),p&&c.componentDidUpdate!=null&&c.__h.push(function(){c.componentDidUpdate(v,C,$)})}if(c.context=b,c.props=y,c.__P=n,c.__e=!1,m=S.__r,g=0,p)c.state=c.__s,c.__d=!1,m&&m(t),u=c.render(c.props,c.state,c.context),_e.push.apply(c.__h,c._sb),c._sb=[];else do c.__d=!1,m&&m(t),u=c.render(c.props,c.state,c.context),c.state=c.__s;while(c.__d&&++g<25);c.state=c.__s,c.getChildContext!=null&&(a=Q(Q({},a),c.getChildContext())),p&&!f&&c.getSnapshotBeforeUpdate!=null&&($=c.getSnapshotBeforeUpdate(v,C)),A=u!=null&&u.type===Y&&u.key==null?bn(u.props.children):u,l=_n(n,$e(A)?A:[A],t,r,a,i,s,o,l,h,d),c.base=t.__e,t.__u&=-161,c.__h.length&&o.push(c),x&&(c.__E=c.__=null)}catch(F){if(o.length=_,t.__v=null,h||s!=null){if(F.then){for(t.__u|=h?160:128;l&&l.nodeType==8&&l.nextSibling;)l=l.nextSibling;s!=null&&(s[s.indexOf(l)]=null),t.__e=l}else if(s!=null)for(L=s.length;L--;)qe(s[L])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),F.then||yn(t),S.__e(F,t,r)}}else s==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):l=t.__e=Un(r.__e,t,r,a,i,s,o,h,d);return(u=S.diffed)&&u(t),128&t.__u?void 0:l}function yn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(yn))}function vn(n,t,r){for(var a=0;a<r.length;a++)Ue(r[a],r[++a],r[++a]);S.__c&&S.__c(t,n),n.some(function(i){try{n=i.__h,i.__h=[],n.some(function(s){s.call(i)})}catch(s){S.__e(s,i.__v)}})}function bn(n){return typeof n!="object"||n==null||n.__b>0?n:$e(n)?n.map(bn):n.constructor!==void 0?null:Q({},n)}function Un(n,t,r,a,i,s,o,l,h){var d,u,_,c,f,v,C,$=r.props||fe,x=t.props,y=t.type;if(y=="svg"?i="http://www.w3.org/2000/svg":y=="math"?i="http://www.w3.org/1998/Math/MathML":i||(i="http://www.w3.org/1999/xhtml"),s!=null){for(d=0;d<s.length;d++)if((f=s[d])&&"setAttribute"in f==!!y&&(y?f.localName==y:f.nodeType==3)){n=f,s[d]=null;break}}if(n==null){if(y==null)return document.createTextNode(x);n=document.createElementNS(i,y,x.is&&x),l&&(S.__m&&S.__m(t,s),l=!1),s=null}if(y==null)$===x||l&&n.data==x||(n.data=x);else{if(s=y=="textarea"&&x.defaultValue!=null?null:s&&we.call(n.childNodes),!l&&s!=null)for($={},d=0;d<n.attributes.length;d++)$[(f=n.attributes[d]).name]=f.value;for(d in $)f=$[d],d=="dangerouslySetInnerHTML"?_=f:d=="children"||d in x||d=="value"&&"defaultValue"in x||d=="checked"&&"defaultChecked"in x||le(n,d,null,f,i);for(d in x)f=x[d],d=="children"?c=f:d=="dangerouslySetInnerHTML"?u=f:d=="value"?v=f:d=="checked"?C=f:l&&typeof f!="function"||$[d]===f||le(n,d,f,$[d],i);if(u)l||_&&(u.__html==_.__html||u.__html==n.innerHTML)||(n.innerHTML=u.__html),t.__k=[];else if(_&&(n.innerHTML=""),_n(t.type=="template"?n.content:n,$e(c)?c:[c],t,r,a,y=="foreignObject"?"http://www.w3.org/1999/xhtml":i,s,o,s?s[0]:r.__k&&ee(r,0),l,h),s!=null)for(d=s.length;d--;)qe(s[d]);l&&y!="textarea"||(d="value",y=="progress"&&v==null?n.removeAttribute("value"):v!=null&&(v!==n[d]||y=="progress"&&!v||y=="option"&&v!=$[d])&&le(n,d,v,$[d],i),d="checked",C!=null&&C!=n[d]&&le(n,d,C,$[d],i))}return n}function Ue(n,t,r){try{if(typeof n=="function"){var a=typeof n.__u=="function";a&&n.__u(),a&&t==null||(n.__u=n(t))}else n.current=t}catch(i){S.__e(i,r)}}function wn(n,t,r){var a,i;if(S.unmount&&S.unmount(n),(a=n.ref)&&(a.current&&a.current!=n.__e||Ue(a,null,t)),(a=n.__c)!=null){if(a.componentWillUnmount)try{a.componentWillUnmount()}catch(s){S.__e(s,t)}a.base=a.__P=a.__n=null}if(a=n.__k)for(i=0;i<a.length;i++)a[i]&&wn(a[i],t,r||typeof n.type!="function");r||qe(n.__e),n.__c=n.__=n.__e=void 0}function Ln(n,t,r){return this.constructor(n,r)}function Bn(n,t,r){var a,i,s,o;t==document&&(t=document.documentElement),S.__&&S.__(n,t),i=(a=!1)?null:t.__k,s=[],o=[],Oe(t,n=t.__k=Mn(Y,null,[n]),i||fe,fe,t.namespaceURI,i?null:t.firstChild?we.call(t.childNodes):null,s,i?i.__e:t.firstChild,a,o),vn(s,n,o),n.props.children=null}function Fn(n){function t(r){var a,i;return this.getChildContext||(a=new Set,(i={})[t.__c]=this,this.getChildContext=function(){return i},this.componentWillUnmount=function(){a=null},this.shouldComponentUpdate=function(s){this.props.value!=s.value&&a.forEach(function(o){o.__e=!0,Pe(o)})},this.sub=function(s){a.add(s);var o=s.componentWillUnmount;s.componentWillUnmount=function(){a&&a.delete(s),o&&o.call(s)}}),r.children}return t.__c="__cC"+pn++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,a){return r.children(a)}).contextType=t,t}we=_e.slice,S={__e:function(n,t,r,a){for(var i,s,o;t=t.__;)if((i=t.__c)&&!i.__)try{if((s=i.constructor)&&s.getDerivedStateFromError!=null&&(i.setState(s.getDerivedStateFromError(n)),o=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(n,a||{}),o=i.__d),o)return i.__E=i}catch(l){n=l}throw n}},dn=0,he.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=Q({},this.state),typeof n=="function"&&(n=n(Q({},r),this.props)),n&&Q(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),Pe(this))},he.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),Pe(this))},he.prototype.render=Y,X=[],un=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,hn=function(n,t){return n.__v.__b-t.__v.__b},ge.__r=0,xe=Math.random().toString(8),de="__d"+xe,se="__a"+xe,mn=/(PointerCapture)$|Capture$/i,Ne=0,Re=ze(!1),Ie=ze(!0),pn=0;var En=0;function e(n,t,r,a,i,s){t||(t={});var o,l,h=t;if("ref"in h)for(l in h={},t)l=="ref"?o=t[l]:h[l]=t[l];var d={type:n,props:h,key:r,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--En,__i:-1,__u:0,__source:i,__self:s};if(typeof n=="function"&&(o=n.defaultProps))for(l in o)h[l]===void 0&&(h[l]=o[l]);return S.vnode&&S.vnode(d),d}var te,P,Se,Ke,oe=0,$n=[],T=S,Qe=T.__b,Ge=T.__r,Ye=T.diffed,Je=T.__c,Xe=T.unmount,Ze=T.__;function ke(n,t){T.__h&&T.__h(P,n,oe||t),oe=0;var r=P.__H||(P.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function k(n){return oe=1,Vn(xn,n)}function Vn(n,t,r){var a=ke(te++,2);if(a.t=n,!a.__c&&(a.__=[xn(void 0,t),function(l){var h=a.__N?a.__N[0]:a.__[0],d=a.t(h,l);h!==d&&(a.__N=[d,a.__[1]],a.__c.setState({}))}],a.__c=P,!P.__f)){var i=function(l,h,d){if(!a.__c.__H)return!0;var u=!1,_=a.__c.props!==l;if(a.__c.__H.__.some(function(f){if(f.__N){u=!0;var v=f.__[0];f.__=f.__N,f.__N=void 0,v!==f.__[0]&&(_=!0)}}),s){var c=s.call(this,l,h,d);return u?c||_:c}return!u||_};P.__f=!0;var s=P.shouldComponentUpdate,o=P.componentWillUpdate;P.componentWillUpdate=function(l,h,d){if(this.__e){var u=s;s=void 0,i(l,h,d),s=u}o&&o.call(this,l,h,d)},P.shouldComponentUpdate=i}return a.__N||a.__}function j(n,t){var r=ke(te++,3);!T.__s&&Cn(r.__H,t)&&(r.__=n,r.u=t,P.__H.__h.push(r))}function ae(n){return oe=5,kn(function(){return{current:n}},[])}function kn(n,t){var r=ke(te++,7);return Cn(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function Hn(n,t){return oe=8,kn(function(){return n},t)}function Wn(n){var t=P.context[n.__c],r=ke(te++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(P)),t.props.value):n.__}function jn(){for(var n;n=$n.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some(me),t.__h.some(De),t.__h=[]}catch(r){t.__h=[],T.__e(r,n.__v)}}}T.__b=function(n){P=null,Qe&&Qe(n)},T.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),Ze&&Ze(n,t)},T.__r=function(n){Ge&&Ge(n),te=0;var t=(P=n.__c).__H;t&&(Se===P?(t.__h=[],P.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some(me),t.__h.some(De),t.__h=[],te=0)),Se=P},T.diffed=function(n){Ye&&Ye(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&($n.push(t)!==1&&Ke===T.requestAnimationFrame||((Ke=T.requestAnimationFrame)||zn)(jn)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Se=P=null},T.__c=function(n,t){t.some(function(r){try{r.__h.some(me),r.__h=r.__h.filter(function(a){return!a.__||De(a)})}catch(a){t.some(function(i){i.__h&&(i.__h=[])}),t=[],T.__e(a,r.__v)}}),Je&&Je(n,t)},T.unmount=function(n){Xe&&Xe(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(a){try{me(a)}catch(i){t=i}}),r.__H=void 0,t&&T.__e(t,r.__v))};var en=typeof requestAnimationFrame=="function";function zn(n){var t,r=function(){clearTimeout(a),en&&cancelAnimationFrame(t),setTimeout(n)},a=setTimeout(r,35);en&&(t=requestAnimationFrame(r))}function me(n){var t=P,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),P=t}function De(n){var t=P;n.__c=n.__(),P=t}function Cn(n,t){return!n||n.length!==t.length||t.some(function(r,a){return r!==n[a]})}function xn(n,t){return typeof t=="function"?t(n):t}const Kn={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record."};function Z(n,t,r){const a=Kn[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const i=r?` (${r})`:"";return t?`${nn(t)}${i}.`.replace(/\.\.$/,"."):`${a??""}${i}`}return a||(t?`${nn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function nn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let z=null,ce=null;const ye=new Set;class G extends Error{constructor(t,r,a){super(r),this.code=t,this.field=a}code;field}function Qn(n){return ye.add(n),()=>ye.delete(n)}function Gn(){return z!==null}function Sn(n){z={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function Le(){const n=z!==null;z=null,n&&ye.forEach(t=>t(!1))}async function Be(n){let t=`http_${n.status}`,r="",a;try{const i=await n.json();t=i.code??t,r=i.detail??"",a=i.errors?.[0]?.field}catch{}return new G(t,Z(t,r,a),a)}async function Fe(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new G("network",Z("network","",void 0))}}async function Yn(n,t){const r=await Fe("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await Be(r);Sn(await r.json()),ye.forEach(a=>a(!0))}async function tn(){if(!z)throw new G("unauthenticated",Z("unauthenticated","",void 0));if(!ce){const n=z.refresh;ce=(async()=>{const t=await Fe("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await Be(t);throw Le(),r}Sn(await t.json())})().finally(()=>{ce=null})}return ce}async function An(){const n=z;Le(),n&&await Fe("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const rn=new Set(["unauthenticated","token_expired","session_ended"]);async function O(n,t){for(let r=0;;r++){if(!z)throw new G("unauthenticated",Z("unauthenticated","",void 0));Date.now()>=z.expiresAt&&await tn();const a=z?.access??"";let i;try{i=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${a}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new G("network",Z("network","",void 0))}if(!i.ok)throw await Be(i);const s=await i.json(),o=s.errors?.[0];if(o){const l=o.extensions?.code??"internal_error";if(rn.has(l)&&r===0&&l!=="session_ended"){await tn();continue}throw rn.has(l)&&Le(),new G(l,Z(l,o.message,o.extensions?.field))}if(s.data==null)throw new G("internal_error",Z("internal_error","",void 0));return s.data}}function ve(){return crypto.randomUUID()}let Ee="EUR";function ne(n){return typeof n=="number"?n:Number(n)}function Jn(n){Ee=n}function I(n,t=Ee){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(ne(n)/100)}catch{return`${(ne(n)/100).toFixed(2)} ${t}`}}function pe(n,t=Ee){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(ne(n)/100)}catch{return`${Math.round(ne(n)/100)} ${t}`}}function M(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function D(n){return new Intl.NumberFormat("en-GB").format(ne(n))}function W(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function Rn(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function q(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class N extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new N(`
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
    `,{fragmentName:"ArmComparisonParts"});const Xn=new N(`
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
    `),Zn=new N(`
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
    `),et=new N(`
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
}`),nt=new N(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),tt=new N(`
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
    `),rt=new N(`
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
    `),it=new N(`
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
    `),at=new N(`
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
    `),st=new N(`
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
    `),ot=new N(`
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
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
    }
    expected {
      expectedChurnRate
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
    `),lt=new N(`
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
    `),ct=new N(`
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
    `),dt=new N(`
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
    `),ut=new N(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),ht=new N(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),mt=new N(`
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
    `),pt={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":Xn,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Zn,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":et,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":nt,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":tt,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':rt,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':it,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':at,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":st,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':ot,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':lt,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":ct,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":dt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":ut,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":ht,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":mt};function U(n){return pt[n]??{}}function Ae({values:n,label:t}){if(n.length<2)return null;const i=Math.max(...n),s=Math.min(...n),o=i-s||1,l=n.map((h,d)=>`${(d/(n.length-1)*120).toFixed(1)},${(30-(h-s)/o*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:l,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function ft({bars:n,label:t,height:r=140}){const i=Math.max(240,n.length*72),s=Math.max(1,...n.map(o=>o.value));return e("svg",{class:"chart",viewBox:`0 0 ${i} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(o=>`${o.label}: ${o.text}`).join("; ")}`,children:n.map((o,l)=>{const h=o.value/s*(r-16);return e("g",{children:[e("title",{children:`${o.label}: ${o.text}`}),e("rect",{x:l*72+4,y:r-h,width:64,height:h,class:"bar"}),e("text",{x:l*72+72/2,y:r-h-4,"text-anchor":"middle",class:"tick",children:o.text}),e("text",{x:l*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:o.label})]},`${l}-${o.label}`)})})}function _t({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${M(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const gt=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function yt({cells:n,onPick:t}){const i=new Map(n.map(h=>[h.segment,h])),s=Math.max(1e-4,...n.map(h=>h.shareOfRevenue)),o=new Set,l=n.map(h=>`${h.label}: ${h.accounts} customers, ${pe(h.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${l}`,children:[gt.map((h,d)=>h.map((u,_)=>{const c=i.get(u),f=c?c.shareOfRevenue/s:0,v=!o.has(u);o.add(u);const C=28+_*96,$=d*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(u),children:[e("title",{children:c?`${c.label}: ${c.accounts} customers, ${pe(c.revenue)} revenue`:u}),e("rect",{x:C+1,y:$+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-f*58)}%)`}),v&&c&&e(Y,{children:[e("text",{x:C+6,y:$+18,class:f>.55?"cell light":"cell",children:c.label}),e("text",{x:C+6,y:$+36,class:f>.55?"cell light":"cell",children:[c.accounts," customers"]}),e("text",{x:C+6,y:$+52,class:f>.55?"cell light":"cell",children:pe(c.revenue)})]})]},`${d}-${_}`)})),[5,4,3,2,1].map((h,d)=>e("text",{x:10,y:d*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${h}`},`r${h}`)),[1,2,3,4,5].map((h,d)=>e("text",{x:28+d*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${h}`},`fm${h}`))]})}function vt({rows:n,label:t}){const s=n.flatMap(_=>[_.estimate,_.low??_.estimate,_.high??_.estimate,0]),o=Math.min(...s),h=Math.max(...s)-o||1,d=_=>160+(_-o)/h*340,u=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${u}`,role:"img","aria-label":`${t}. ${n.map(_=>`${_.label}: ${_.text}`).join("; ")}`,children:[e("line",{x1:d(0),x2:d(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:d(0),y:u-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((_,c)=>{const f=c*30+15;return e("g",{children:[e("title",{children:`${_.label}: ${_.text}`}),e("text",{x:0,y:f+4,class:"tick",children:_.label}),_.low!=null&&_.high!=null&&e("line",{x1:d(_.low),x2:d(_.high),y1:f,y2:f,class:"ci"}),_.low!=null&&e("line",{x1:d(_.low),x2:d(_.low),y1:f-6,y2:f+6,class:"ci"}),_.high!=null&&e("line",{x1:d(_.high),x2:d(_.high),y1:f-6,y2:f+6,class:"ci"}),e("circle",{cx:d(_.estimate),cy:f,r:5,class:_.low!=null&&_.low>0?"est good":"est"})]},_.label)})]})}function bt({rows:n,columns:t,label:r}){const o=130+t.length*52,l=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${o} ${l}`,role:"img","aria-label":r,children:[t.map((h,d)=>e("text",{x:130+d*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:h},h)),n.map((h,d)=>e("g",{children:[e("text",{x:0,y:22+d*26+17,class:"tick",children:[h.label," ",e("tspan",{class:"muted",children:h.note})]}),h.cells.map((u,_)=>e("g",{children:[e("title",{children:u.title}),e("rect",{x:130+_*52+1,y:22+d*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,u.value)*62)}%)`}),e("text",{x:130+_*52+52/2,y:22+d*26+17,"text-anchor":"middle",class:u.value>.55?"cell light":"cell",children:u.text})]},_))]},h.label))]})}const re="/console";function an(){const n=location.pathname.startsWith(re)?location.pathname.slice(re.length):"/";return n===""?"/":n}const be=new Set;window.addEventListener("popstate",()=>be.forEach(n=>n()));function In(n){history.pushState(null,"",re+n),be.forEach(t=>t()),window.scrollTo(0,0)}function wt(){const[n,t]=k(an());return j(()=>{const r=()=>t(an());return be.add(r),()=>be.delete(r)},[]),n}function $t(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(re)&&(n.preventDefault(),In(r.slice(re.length)||"/"))}const Pn=Fn(null);function Ve(){const n=Wn(Pn);if(!n)throw new Error("no session");return n}function He(n,t){switch(t){case"deals":case"segments":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":return["owner","admin","manager"].includes(n.role)}}function K(n){return e("a",{href:re+n.href,onClick:$t,class:n.class,"aria-current":n["aria-current"],children:n.children})}function H({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function B({children:n}){return e("p",{class:"state empty",children:n})}function V({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:ie(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function ie(n){return n instanceof G?n.message:"Something went wrong in the console. Reload the page and try again."}function J(n,t){const[r,a]=k({status:"loading"}),[i,s]=k(0),o=ae(0);j(()=>{const h=++o.current;a(d=>d.status==="ok"&&i>0?d:{status:"loading"}),n().then(d=>h===o.current&&a({status:"ok",data:d}),d=>h===o.current&&a({status:"error",error:d}))},[t,i]);const l=Hn(()=>s(h=>h+1),[]);return{...r,reload:l}}function E({title:n,children:t,actions:r}){return j(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const kt=U(`
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
`),Ct=U(`
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
`),xt=U(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),St=U(`
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
`),At=["in_store","call","direct_mail","email","sms","push"];function Rt({id:n}){const t=J(()=>O(Ct,{id:n}),n);if(t.status==="loading")return e(H,{what:"results"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.campaignResults,a=r.total,i=[a,...r.byRfmSegment.filter(o=>o.treatment.members>0)].map(o=>({label:o.group==="all"?"All members":q(o.group),estimate:o.conversionUplift.difference*100,low:o.conversionUplift.ciLow==null?null:o.conversionUplift.ciLow*100,high:o.conversionUplift.ciHigh==null?null:o.conversionUplift.ciHigh*100,text:`${(o.conversionUplift.difference*100).toFixed(1)} points`+(o.conversionUplift.ciLow!=null&&o.conversionUplift.ciHigh!=null?` (95 % interval ${(o.conversionUplift.ciLow*100).toFixed(1)} to ${(o.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),s=a.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",M(a.treatment.conversionRate,1)," of treated members bought against ",M(a.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(s.difference*100).toFixed(1)," percentage points"]}),s.ciLow!=null&&s.ciHigh!=null?` (95 % interval ${(s.ciLow*100).toFixed(1)} to ${(s.ciHigh*100).toFixed(1)})`:"",", which is"," ",s.significance==="significant"?"statistically significant":s.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e(vt,{rows:i,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:I(a.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:I(a.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:I(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":M(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",W(r.windowStart)," to ",W(r.windowEnd)," · ",D(a.treatment.members)," treated, ",D(a.control.members)," in control."]})]})}function It({selected:n}){const t=Ve(),r=He(t,"campaigns"),a=J(()=>O(kt),"campaigns"),[i,s]=k(""),[o,l]=k(""),[h,d]=k("in_store"),[u,_]=k("10"),[c,f]=k(!1),[v,C]=k(null);if(a.status==="loading")return e(H,{what:"campaigns"});if(a.status==="error")return e(V,{error:a.error,retry:a.reload});const{campaigns:$,segments:x}=a.data,y=new Map(x.nodes.map(m=>[m.id,m.name])),p=$.nodes.find(m=>m.id===n)??null,w=async m=>{m.preventDefault(),f(!0),C(null);try{const g=Number(u)/100,A=await O(xt,{input:{name:i.trim(),segmentId:o||(x.nodes[0]?.id??""),channel:h,controlShare:g,costFixed:0,costPerContact:0},key:ve()});C({ok:!0,text:`Draft “${A.createCampaign.name}” created. Launch it when ready.`}),s(""),a.reload()}catch(g){C({ok:!1,text:ie(g)})}finally{f(!1)}},b=async(m,g)=>{f(!0),C(null);try{const L=(await O(St,{id:m,key:ve()})).launchCampaign.audience;C({ok:!0,text:`“${g}” launched: ${L?`${D(L.treated)} customers treated, ${D(L.control)} held out as control`:"audience drawn"}.`}),a.reload()}catch(A){C({ok:!1,text:ie(A)})}finally{f(!1)}};return e(E,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:v&&e("p",{class:`notice ${v.ok?"ok":"conflict"}`,role:v.ok?"status":"alert","data-testid":"campaign-notice",children:v.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),$.nodes.length===0?e(B,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:$.nodes.map(m=>e("tr",{children:[e("td",{children:m.status==="draft"?m.name:e(K,{href:`/campaigns/${encodeURIComponent(m.id)}`,children:m.name})}),e("td",{children:y.get(m.segmentId)??"—"}),e("td",{children:q(m.channel)}),e("td",{children:[q(m.status),m.launchedAt?` ${W(m.launchedAt)}`:""]}),e("td",{class:"num",children:m.audience?`${D(m.audience.treated)} / ${D(m.audience.control)}`:"—"}),e("td",{children:[m.status==="draft"&&r&&e("button",{type:"button",disabled:c,onClick:()=>{b(m.id,m.name)},children:["Launch “",m.name,"”"]}),m.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>In(`/campaigns/${encodeURIComponent(m.id)}`),children:"Results"})]})]},m.id))})]})]}),p&&p.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",p.name]}),e(Rt,{id:p.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),x.nodes.length===0?e(B,{children:["A campaign targets a segment: ",e(K,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:m=>{w(m)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:i,onInput:m=>s(m.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:o||x.nodes[0]?.id,onChange:m=>l(m.currentTarget.value),children:x.nodes.map(m=>e("option",{value:m.id,children:m.name},m.id))})]}),e("label",{children:["Channel",e("select",{value:h,onChange:m=>d(m.currentTarget.value),children:At.map(m=>e("option",{value:m,children:q(m)},m))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:u,onInput:m=>_(m.currentTarget.value)})]}),e("button",{type:"submit",disabled:c||!i.trim(),children:"Create draft"})]})]})]})]})}const Pt=U(`
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
`);function Dt(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function Tt(){const n=J(()=>O(Pt,{from:Dt(12)}),"cohorts");if(n.status==="loading")return e(H,{what:"cohorts"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(i=>i.customers>0),a=Math.max(0,...r.map(i=>i.periods.length));return e(E,{title:"Cohorts",children:r.length===0?e(B,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(bt,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:a},(i,s)=>`M${s}`),rows:r.map(i=>({label:i.cohort,note:`(${i.customers})`,cells:i.periods.map(s=>({value:s.retention,text:M(s.retention),title:`${i.cohort}, month ${s.periodNumber} (${s.period}): ${s.activeCustomers} of ${i.customers} bought (${M(s.retention,1)}); ${I(s.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const Mt=U(`
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
`),Nt={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},sn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function qt(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${sn[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${M(t.pAlive)} chance that ${n} is still an active customer (so a ${M(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${Rn(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${I(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${I(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${sn[t.predictionsUnavailable]??"has no money predictions"}.`),r}function Ot(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}function Ut({id:n}){const t=J(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),O(Mt,{id:n})),n);if(j(()=>{t.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[t.status,n]),t.status==="loading")return e(H,{what:"the customer"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const{account:r,loyaltyBalance:a,loyaltyLedger:i,deals:s,pipelines:o}=t.data;if(!r)return e(E,{title:"Customer not found",children:e(B,{children:["There is no such customer in this workspace. ",e(K,{href:"/customers",children:"Back to customers"}),"."]})});const l=r.metrics,h=new Map(o.nodes.flatMap(u=>u.stages.map(_=>[_.id,_.name]))),d=[...r.interactions.nodes.map(u=>({at:u.occurredAt,key:`i${u.id}`,what:`${q(u.type)}${u.channel?` · ${u.channel}`:""}${u.direction?` · ${u.direction}`:""}`,text:u.subject??""})),...r.orders.nodes.map(u=>({at:u.occurredAt,key:`o${u.id}`,what:`Order${u.channel?` · ${u.channel}`:""}`,text:`${I(u.amount,u.currency)}${u.status!=="completed"?` (${q(u.status).toLowerCase()})`:""}`}))].sort((u,_)=>u.at<_.at?1:-1);return e(E,{title:r.name,children:[e("p",{class:"muted",children:[q(r.kind)," · ",q(r.lifecycleStage)," · customer since ",W(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:I(l.clv,l.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:I(l.revenue,l.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:D(l.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:I(l.averageOrderValue,l.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:Rn(l.lastOrderAt)})]})]}),l.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(_t,{value:l.pAlive,label:"Probability still active",tone:Ot(l.riskBand)})," ",e("strong",{children:M(l.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:qt(r.name,l).map(u=>e("p",{children:u},u))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),l.rfm?e(Y,{children:[e("p",{class:"big",children:l.rfm.label}),e("p",{children:["Recency ",l.rfm.r,"/5 · Frequency ",l.rfm.f,"/5 · Monetary ",l.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),l.riskBand&&e("p",{children:[e("span",{class:`band ${l.riskBand}`,children:q(l.riskBand)})," ",Nt[l.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),a?e(Y,{children:[e("p",{class:"big",children:[D(a.available)," points"]}),e("p",{children:[a.tier?`${a.tier.name} tier`:"No tier yet",a.nextTier?` · ${D(a.nextTier.missing)} to ${a.nextTier.name}`:""]}),e("p",{class:"muted small",children:[D(a.pending)," pending · ",D(a.expiringIn30Days)," expiring within 30 days · ",D(a.lifetimeEarned)," earned in all"]}),i.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:i.nodes.map(u=>e("tr",{children:[e("td",{children:W(u.occurredAt)}),e("td",{children:[q(u.kind),u.reason?` · ${u.reason}`:""]}),e("td",{class:"num",children:ne(u.points)>0?`+${D(u.points)}`:D(u.points)})]},u.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),s.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:s.nodes.map(u=>e("li",{children:[e("strong",{children:u.title})," · ",I(u.amount,u.currency)," · ",h.get(u.stageId)??"stage",u.expectedCloseOn?` · closes ${W(u.expectedCloseOn)}`:""]},u.id))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),d.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:d.map(u=>e("li",{children:[e("time",{dateTime:u.at,children:W(u.at)})," ",e("strong",{children:u.what})," ",u.text]},u.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:r.orders.nodes.map(u=>e("tr",{children:[e("td",{children:W(u.occurredAt)}),e("td",{children:u.externalId??"—"}),e("td",{children:u.channel??"—"}),e("td",{children:q(u.status)}),e("td",{class:"num",children:I(u.amount,u.currency)})]},u.id))})]})]})]})]})}const Lt=U(`
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
`),Bt=50;function Ft(){const[n,t]=k(""),[r,a]=k(""),[i,s]=k(""),[o,l]=k(null),[h,d]=k([]),[u,_]=k(null),[c,f]=k(!1),[v,C]=k("loading"),[$,x]=k(null),y=ae(0),p=ae(null),w=ae(!1),b=ae({generation:0,cursor:null});j(()=>{const g=setTimeout(()=>a(n.trim()),250);return()=>clearTimeout(g)},[n]);const m=async g=>{const A=y.current;w.current=!0;try{const L={...r?{q:r}:{},...i?{segmentId:i}:{}},R=await O(Lt,{first:Bt,after:g,filter:L,withSegments:o===null});if(A!==y.current)return;R.segments&&l(R.segments.nodes),d(F=>{if(!g)return R.accounts.nodes;const Dn=new Set(F.map(Ce=>Ce.id));return[...F,...R.accounts.nodes.filter(Ce=>!Dn.has(Ce.id))]}),b.current={generation:A,cursor:R.accounts.pageInfo.endCursor??null},_(R.accounts.pageInfo.endCursor??null),f(R.accounts.pageInfo.hasNextPage),C("ok")}catch(L){if(A!==y.current)return;x(L),C("error")}finally{A===y.current&&(w.current=!1)}};return j(()=>{y.current++,w.current=!1,b.current={generation:y.current,cursor:null},f(!1),_(null),C("loading"),d([]),m(null)},[r,i]),j(()=>{const g=p.current;if(!g||!c)return;const A=new IntersectionObserver(L=>{const R=b.current;L.some(F=>F.isIntersecting)&&!w.current&&R.cursor&&R.generation===y.current&&m(R.cursor)});return A.observe(g),()=>A.disconnect()},[c,u,h.length]),e(E,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:g=>g.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:g=>t(g.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:i,onChange:g=>s(g.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(o??[]).map(g=>e("option",{value:g.id,children:g.name},g.id))]})]})]}),v==="loading"&&e(H,{what:"customers"}),v==="error"&&e(V,{error:$,retry:()=>{m(null)}}),v==="ok"&&h.length===0&&e(B,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),h.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:h.map(g=>e("tr",{children:[e("td",{children:[e(K,{href:`/customers/${encodeURIComponent(g.id)}`,children:g.name}),e("div",{class:"muted small",children:g.emails[0]??q(g.kind)})]}),e("td",{children:q(g.lifecycleStage)}),e("td",{children:g.metrics.rfm?.label??"—"}),e("td",{class:"num",children:g.metrics.ordersCount}),e("td",{class:"num",children:I(g.metrics.revenue)}),e("td",{class:"num",children:I(g.metrics.clv)}),e("td",{children:g.metrics.riskBand?e("span",{class:`band ${g.metrics.riskBand}`,children:q(g.metrics.riskBand)}):"—"})]},g.id))})]}),e("div",{ref:p,class:"sentinel","aria-hidden":"true"}),c&&v==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const Et=U(`
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
`);function Vt(){const n=J(()=>O(Et),"loyalty");if(n.status==="loading")return e(H,{what:"the loyalty programme"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(E,{title:"Loyalty",children:e(B,{children:"There is no loyalty programme in this workspace yet."})});const a=i=>t.qualification==="spend"?I(i,t.currency):`${D(i)} points`;return e(E,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",I(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(B,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(i=>e("li",{children:[e("strong",{children:i.name})," from ",a(i.threshold)," · earns ×",(i.multiplierPermille/1e3).toFixed(2),i.benefits?e("div",{class:"small muted",children:i.benefits}):null]},i.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(B,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(i=>e("tr",{children:[e("td",{children:[i.name,i.description?e("div",{class:"small muted",children:i.description}):null]}),e("td",{class:"num",children:D(i.pointsCost)}),e("td",{class:"num",children:i.stock==null?"unlimited":D(i.stock)}),e("td",{children:i.availableUntil?W(i.availableUntil):"no end"})]},i.id))})]})]})]})})}const Ht=U(`
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
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
      }
      expected {
        expectedChurnRate
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
`);function Wt(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function jt(){const n=J(()=>O(Ht,{from:Wt()}),"overview");if(n.status==="loading")return e(H,{what:"the overview"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:a}=n.data,i=r.periods,s=i[i.length-1],o=t.revenue.concentration.find(l=>l.topPercent===10);return e(E,{title:"Overview",children:t.revenue.customers===0?e(B,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:D(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[s?D(s.activeCustomers):"—",e(Ae,{values:i.map(l=>l.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:I(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:I(t.clv.total,t.currency)})]})]}),o&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",M(o.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:M(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[s?M(s.churnRate,1):"—",e(Ae,{values:i.map(l=>l.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[s?D(s.newCustomers):"—",e(Ae,{values:i.map(l=>l.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",M(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),a.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:a.nodes.map(l=>e("li",{children:[e(K,{href:`/customers/${encodeURIComponent(l.accountId)}`,children:l.name})," · ",I(l.valueAtRisk,t.currency)," at risk ·"," ",M(l.churnProbability)," churn"]},l.accountId))}),e("p",{class:"small",children:e(K,{href:"/value",children:"See the whole value picture"})})]})]})})}const zt=U(`
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
`),Kt=U(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function on(){const n=await O(zt);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function Qt(){const n=Ve(),t=He(n,"deals"),[r,a]=k(null),i=J(on,"board"),[s,o]=k(new Map),[l,h]=k(null),[d,u]=k(null),[_,c]=k(null);if(i.status==="loading")return e(H,{what:"the pipeline"});if(i.status==="error")return e(V,{error:i.error,retry:i.reload});const{pipelines:f}=i.data,v=f.find(p=>p.id===r)??f[0];if(!v)return e(E,{title:"Pipeline",children:e(B,{children:"No pipeline yet."})});const C=i.data.deals.filter(p=>p.pipelineId===v.id).map(p=>s.get(p.id)??p),$=p=>v.stages.find(w=>w.id===p)?.name??"another stage",x=async(p,w)=>{if(p.stageId===w||_)return;const b=v.stages.find(g=>g.id===w);let m;if(!(b?.kind==="lost"&&(m=window.prompt(`Why was “${p.title}” lost?`,"price")??void 0,!m))){c(p.id),h(null);try{const g=await O(Kt,{id:p.id,stageId:w,ifVersion:p.version,lostReason:m??null,key:ve()});o(A=>new Map(A).set(p.id,{...p,stageId:g.moveDeal.stageId,version:g.moveDeal.version})),h({kind:"ok",text:`“${p.title}” moved to ${$(g.moveDeal.stageId)}.`})}catch(g){if(g instanceof G&&g.code==="precondition_failed"){let A="";try{const R=(await on()).deals.find(F=>F.id===p.id);A=R?` It is now in ${$(R.stageId)}.`:" It is no longer open."}catch{}o(new Map),h({kind:"conflict",text:`“${p.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${A} The board now shows the latest state.`}),i.reload()}else h({kind:"conflict",text:ie(g)})}finally{c(null)}}},y=new Map(C.map(p=>[p.id,p]));return e(E,{title:"Pipeline",actions:f.length>1?e("label",{children:["Pipeline",e("select",{value:v.id,onChange:p=>a(p.currentTarget.value),children:f.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:l&&e("p",{class:`notice ${l.kind}`,role:l.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:l.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:v.stages.map(p=>{const w=C.filter(m=>m.stageId===p.id),b=new Map;return w.forEach(m=>b.set(m.currency,(b.get(m.currency)??0)+ne(m.amount))),e("section",{class:`column${d===p.id?" over":""}`,"aria-label":`Stage ${p.name}`,"data-stage":p.name,onDragOver:m=>{t&&(m.preventDefault(),u(p.id))},onDragLeave:()=>u(null),onDrop:m=>{m.preventDefault(),u(null);const g=y.get(m.dataTransfer?.getData("text/plain")??"");g&&t&&x(g,p.id)},children:[e("h2",{children:[e("span",{children:p.name}),e("span",{class:"muted small",children:[p.probability," %"]})]}),e("p",{class:"muted small",children:[D(w.length)," deals",[...b].map(([m,g])=>` · ${I(g,m)}`).join("")]}),w.map(m=>e("article",{class:"deal",draggable:t,"data-deal":m.title,"aria-busy":_===m.id,onDragStart:g=>g.dataTransfer?.setData("text/plain",m.id),children:[e("strong",{children:m.title}),e("div",{class:"small",children:I(m.amount,m.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:m.stageId,onChange:g=>{x(m,g.currentTarget.value)},"aria-label":`Move ${m.title} to stage`,children:v.stages.map(g=>e("option",{value:g.id,children:g.name},g.id))})]})]},m.id))]},p.id)})})]})}const Gt=U(`
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
`),Yt=U(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),Jt=U(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Te=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],ln={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function Me(n){return Te.find(t=>t.name===n)??Te[0]}function Xt(n,t){const r=[];for(const a of t){const i=Me(a.field),s=a.value.trim();if(!s)return{problem:`Give a value for “${i.label}”.`};let o=s;if(i.kind==="number"||i.kind==="money"||i.kind==="share"){const l=Number(s);if(!Number.isFinite(l))return{problem:`“${i.label}” needs a number.`};o=i.kind==="money"?Math.round(l*100):i.kind==="share"?l/100:l}r.push({field:i.name,op:a.op,value:o})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function Zt({onSaved:n}){const t=Ve(),[r,a]=k("all"),[i,s]=k([{field:"orders_count",op:">=",value:"3"}]),[o,l]=k(""),[h,d]=k({status:"idle"}),[u,_]=k(null),[c,f]=k(null),v=Xt(r,i),C=JSON.stringify(v);j(()=>{if(!("rule"in v)){d({status:"error",text:v.problem});return}let y=!1;d(w=>({...w,status:"loading"}));const p=setTimeout(()=>{O(Yt,{rule:v.rule}).then(w=>!y&&d({status:"ok",count:w.previewSegment.count,sample:w.previewSegment.sample}),w=>!y&&d({status:"error",text:ie(w)}))},350);return()=>{y=!0,clearTimeout(p)}},[C]);const $=(y,p)=>s(w=>w.map((b,m)=>{if(m!==y)return b;const g={...b,...p};if(p.field){const A=Me(p.field);g.op=ln[A.kind][0]?.[0]??"=",g.value=A.choices?.[0]??""}return g})),x=async y=>{if(y.preventDefault(),"rule"in v){f(null);try{const p=await O(Jt,{input:{name:o.trim(),rule:v.rule,tracked:!1},key:ve()});_(p.createSegment.name),l(""),n()}catch(p){f(p)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:y=>a(y.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),i.map((y,p)=>{const w=Me(y.field);return e("fieldset",{class:"condition","aria-label":`Condition ${p+1}`,children:[e("label",{children:["Field",e("select",{value:y.field,onChange:b=>$(p,{field:b.currentTarget.value}),children:Te.map(b=>e("option",{value:b.name,children:b.label},b.name))})]}),e("label",{children:["Comparison",e("select",{value:y.op,onChange:b=>$(p,{op:b.currentTarget.value}),children:ln[w.kind].map(([b,m])=>e("option",{value:b,children:m},b))})]}),e("label",{children:["Value",w.kind==="money"?" (whole units)":"",w.choices?e("select",{value:y.value,onChange:b=>$(p,{value:b.currentTarget.value}),children:w.choices.map(b=>e("option",{value:b,children:b.replace(/_/g," ")},b))}):e("input",{value:y.value,inputMode:w.kind==="text"?"text":"decimal",onInput:b=>$(p,{value:b.currentTarget.value})})]}),i.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>s(b=>b.filter((m,g)=>g!==p)),children:"Remove"})]},p)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>s(y=>[...y,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[h.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),h.status==="ok"&&e(Y,{children:[e("p",{class:"count","data-testid":"preview-count",children:[D(h.count??0)," customers match now"]}),(h.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(h.sample??[]).map((y,p)=>e("span",{children:[p>0?", ":"",e(K,{href:`/customers/${encodeURIComponent(y.id)}`,children:y.name})]},y.id))]})]}),h.status==="error"&&e("p",{class:"state error",role:"alert",children:h.text})]}),He(t,"segments")&&e("form",{class:"row",onSubmit:y=>{x(y)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:o,onInput:y=>l(y.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in v)||!o.trim(),children:"Save segment"})]}),u&&e("p",{class:"notice ok",role:"status",children:["Saved “",u,"”."]}),c!=null&&e(V,{error:c})]})}function er(){const n=J(()=>O(Gt),"segments");return e(E,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(H,{what:"segments"}),n.status==="error"&&e(V,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(B,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(Zt,{onSaved:n.reload})]})})}function nr(){const[n,t]=k(""),[r,a]=k(""),[i,s]=k(!1),[o,l]=k(null),h=async d=>{d.preventDefault(),s(!0),l(null);try{await Yn(n.trim(),r)}catch(u){l(u),s(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:d=>{h(d)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:d=>t(d.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:d=>a(d.currentTarget.value)})]}),o!=null&&e("p",{class:"state error",role:"alert",children:ie(o)}),e("button",{type:"submit",disabled:i,children:i?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const tr=U(`
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
`);function rr(){const n=J(()=>O(tr),"value");if(n.status==="loading")return e(H,{what:"value"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:a}=n.data;return e(E,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(B,{children:"No customer is scored yet: fit the value model once there are orders."}):e(Y,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${W(t.breakpointsFittedAt)}`:"","."]}),e(yt,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(i=>e("tr",{children:[e("td",{children:i.label}),e("td",{class:"num",children:i.accounts}),e("td",{class:"num",children:M(i.shareOfAccounts)}),e("td",{class:"num",children:I(i.revenue,t.currency)}),e("td",{class:"num",children:M(i.shareOfRevenue)})]},i.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(B,{children:"No CLV predictions yet."}):e(ft,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(i=>({label:`≥ ${pe(i.lower,r.currency)}`,value:i.customers,text:`${i.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),a.nodes.length===0?e(B,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:a.nodes.map(i=>e("tr",{children:[e("td",{children:e(K,{href:`/customers/${encodeURIComponent(i.accountId)}`,children:i.name})}),e("td",{children:q(i.segment)}),e("td",{children:e("span",{class:`band ${i.riskBand}`,children:q(i.riskBand)})}),e("td",{class:"num",children:M(i.churnProbability)}),e("td",{class:"num",children:I(i.clv,t.currency)}),e("td",{class:"num",children:I(i.valueAtRisk,t.currency)})]},i.accountId))})]})]})]})})}const ir=U(`
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
`),ar=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/loyalty","Loyalty"]];function sr({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(jt,{});case"customers":return t[1]?e(Ut,{id:decodeURIComponent(t[1])}):e(Ft,{});case"value":return e(rr,{});case"cohorts":return e(Tt,{});case"loyalty":return e(Vt,{});case"pipeline":return e(Qt,{});case"segments":return e(er,{});case"campaigns":return e(It,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(K,{href:"/",children:"Go to the overview"}),"."]})]})}}function or({me:n}){const t=wt(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(Pn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:ar.map(([a,i])=>e("li",{children:e(K,{href:a,"aria-current":r===a?"page":void 0,children:i})},a))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{An()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(sr,{path:t})})]})}function lr(){const[n,t]=k(Gn()),[r,a]=k(null),[i,s]=k(null);return j(()=>Qn(o=>t(o)),[]),j(()=>{if(!n){a(null);return}s(null),O(ir).then(o=>{Jn(o.valueSettings.reportingCurrency),a({name:o.me?.name??"API key",email:o.me?.email??"",role:o.me?.role??"viewer",workspace:o.workspace.name,currency:o.valueSettings.reportingCurrency})},o=>s(o))},[n]),n?i?e(V,{error:i,retry:()=>{An()}}):r?e(or,{me:r}):e(H,{what:"your workspace"}):e(nr,{})}const cn=document.getElementById("app");cn&&Bn(e(lr,{}),cn);
