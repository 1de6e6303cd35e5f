var we,S,dn,Y,je,un,hn,xe,de,se,mn,Ne,Ie,Re,pn,_e={},fe=[],Tn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,ke=Array.isArray;function z(e,n){for(var r in n)e[r]=n[r];return e}function Oe(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function Mn(e,n,r){var i,a,l,s={};for(l in n)l=="key"?i=n[l]:l=="ref"?a=n[l]:s[l]=n[l];if(arguments.length>2&&(s.children=arguments.length>3?we.call(arguments,2):r),typeof e=="function"&&e.defaultProps!=null)for(l in e.defaultProps)s[l]===void 0&&(s[l]=e.defaultProps[l]);return ue(e,s,i,a,null)}function ue(e,n,r,i,a){var l={type:e,props:n,key:r,ref:i,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++dn,__i:-1,__u:0};return a==null&&S.vnode!=null&&S.vnode(l),l}function K(e){return e.children}function he(e,n){this.props=e,this.context=n}function Z(e,n){if(n==null)return e.__?Z(e.__,e.__i+1):null;for(var r;n<e.__k.length;n++)if((r=e.__k[n])!=null&&r.__e!=null)return r.__e;return typeof e.type=="function"?Z(e):null}function Nn(e){if(e.__P&&e.__d){var n=e.__v,r=n.__e,i=[],a=[],l=z({},n);l.__v=n.__v+1,S.vnode&&S.vnode(l),qe(e.__P,l,n,e.__n,e.__P.namespaceURI,32&n.__u?[r]:null,i,r??Z(n),!!(32&n.__u),a),l.__v=n.__v,l.__.__k[l.__i]=l,yn(i,l,a),n.__e=n.__=null,l.__e!=r&&_n(l)}}function _n(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(n){if(n!=null&&n.__e!=null)return e.__e=e.__c.base=n.__e}),_n(e)}function Pe(e){(!e.__d&&(e.__d=!0)&&Y.push(e)&&!ge.__r++||je!=S.debounceRendering)&&((je=S.debounceRendering)||un)(ge)}function ge(){try{for(var e,n=1;Y.length;)Y.length>n&&Y.sort(hn),e=Y.shift(),n=Y.length,Nn(e)}finally{Y.length=ge.__r=0}}function fn(e,n,r,i,a,l,s,d,u,o,f){var v,c,p,y,C,k,x=i&&i.__k||fe,g=n.length;for(u=On(r,n,x,u,g),v=0;v<g;v++)(p=r.__k[v])!=null&&(c=p.__i!=-1&&x[p.__i]||_e,p.__i=v,k=qe(e,p,c,a,l,s,d,u,o,f),y=p.__e,p.ref&&c.ref!=p.ref&&(c.ref&&Ue(c.ref,null,p),f.push(p.ref,p.__c||y,p)),C==null&&y!=null&&(C=y),4&p.__u?(u=gn(p,u,e),c.__e&&(c.__e=null)):typeof p.type=="function"&&k!==void 0?u=k:y&&(u=y.nextSibling),p.__u&=-7);return r.__e=C,u}function On(e,n,r,i,a){var l,s,d,u,o,f=r.length,v=f,c=0;for(e.__k=new Array(a),l=0;l<a;l++)(s=n[l])!=null&&typeof s!="boolean"&&typeof s!="function"?(typeof s=="string"||typeof s=="number"||typeof s=="bigint"||s.constructor==String?s=e.__k[l]=ue(null,s,null,null,null):ke(s)?s=e.__k[l]=ue(K,{children:s},null,null,null):s.constructor===void 0&&s.__b>0?s=e.__k[l]=ue(s.type,s.props,s.key,s.ref?s.ref:null,s.__v):e.__k[l]=s,u=l+c,s.__=e,s.__b=e.__b+1,d=null,(o=s.__i=qn(s,r,u,v))!=-1&&(v--,(d=r[o])&&(d.__u|=2)),d==null||d.__v==null?(o==-1&&(a>f?c--:a<f&&c++),typeof s.type!="function"&&(s.__u|=4)):o!=u&&(o==u-1?c--:o==u+1?c++:(o>u?c--:c++,s.__u|=4))):e.__k[l]=null;if(v)for(l=0;l<f;l++)(d=r[l])!=null&&(2&d.__u)==0&&(d.__e==i&&(i=Z(d)),wn(d,d));return i}function gn(e,n,r){var i,a;if(typeof e.type=="function"){for(i=e.__k,a=0;i&&a<i.length;a++)i[a]&&(i[a].__=e,n=gn(i[a],n,r));return n}e.__e!=n&&(n&&e.type&&!n.parentNode&&(n=Z(e)),n=r.insertBefore(e.__e,n||null));do n=n&&n.nextSibling;while(n!=null&&n.nodeType==8);return n}function qn(e,n,r,i){var a,l,s,d=e.key,u=e.type,o=n[r],f=o!=null&&(2&o.__u)==0;if(o===null&&d==null||f&&d==o.key&&u==o.type)return r;if(i>(f?1:0)){for(a=r-1,l=r+1;a>=0||l<n.length;)if((o=n[s=a>=0?a--:l++])!=null&&(2&o.__u)==0&&d==o.key&&u==o.type)return s}return-1}function ze(e,n,r){n[0]=="-"?e.setProperty(n,r??""):e[n]=r==null?"":typeof r!="number"||Tn.test(n)?r:r+"px"}function le(e,n,r,i,a){var l,s;e:if(n=="style")if(typeof r=="string")e.style.cssText=r;else{if(typeof i=="string"&&(e.style.cssText=i=""),i)for(n in i)r&&n in r||ze(e.style,n,"");if(r)for(n in r)i&&r[n]==i[n]||ze(e.style,n,r[n])}else if(n[0]=="o"&&n[1]=="n")l=n!=(n=n.replace(mn,"$1")),s=n.toLowerCase(),n=s in e||n=="onFocusOut"||n=="onFocusIn"?s.slice(2):n.slice(2),e.l||(e.l={}),e.l[n+l]=r,r?i?r[se]=i[se]:(r[se]=Ne,e.addEventListener(n,l?Re:Ie,l)):e.removeEventListener(n,l?Re:Ie,l);else{if(a=="http://www.w3.org/2000/svg")n=n.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(n!="width"&&n!="height"&&n!="href"&&n!="list"&&n!="form"&&n!="tabIndex"&&n!="download"&&n!="rowSpan"&&n!="colSpan"&&n!="role"&&n!="popover"&&n in e)try{e[n]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&n[4]!="-"?e.removeAttribute(n):e.setAttribute(n,n=="popover"&&r==1?"":r))}}function We(e){return function(n){if(this.l){var r=this.l[n.type+e];if(n[de]==null)n[de]=Ne++;else if(n[de]<r[se])return;return r(S.event?S.event(n):n)}}}function qe(e,n,r,i,a,l,s,d,u,o){var f,v,c,p,y,C,k,x,g,m,w,b,h,_,A,q,I=n.type;if(n.constructor!==void 0)return null;128&r.__u&&(u=!!(32&r.__u),l=[d=n.__e=r.__e]),(f=S.__b)&&f(n);e:if(typeof I=="function"){v=s.length;try{if(g=n.props,m=I.prototype&&I.prototype.render,w=(f=I.contextType)&&i[f.__c],b=f?w?w.props.value:f.__:i,r.__c?x=(c=n.__c=r.__c).__=c.__E:(m?n.__c=c=new I(g,b):(n.__c=c=new he(g,b),c.constructor=I,c.render=Bn),w&&w.sub(c),c.state||(c.state={}),c.__n=i,p=c.__d=!0,c.__h=[],c._sb=[]),m&&c.__s==null&&(c.__s=c.state),m&&I.getDerivedStateFromProps!=null&&(c.__s==c.state&&(c.__s=z({},c.__s)),z(c.__s,I.getDerivedStateFromProps(g,c.__s))),y=c.props,C=c.state,c.__v=n,p)m&&I.getDerivedStateFromProps==null&&c.componentWillMount!=null&&c.componentWillMount(),m&&c.componentDidMount!=null&&c.__h.push(c.componentDidMount);else{if(m&&I.getDerivedStateFromProps==null&&g!==y&&c.componentWillReceiveProps!=null&&c.componentWillReceiveProps(g,b),n.__v==r.__v||!c.__e&&c.shouldComponentUpdate!=null&&c.shouldComponentUpdate(g,c.__s,b)===!1){n.__v!=r.__v&&(c.props=g,c.state=c.__s,c.__d=!1),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(F){F&&(F.__=n)}),fe.push.apply(c.__h,c._sb),c._sb=[],c.__h.length&&s.push(c),d=Z(r);break e}c.componentWillUpdate!=null&&c.componentWillUpdate(g,c.__s,b),m&&c.componentDidUpdate!=null&&c.__h.push(function(){c.componentDidUpdate(y,C,k)})}if(c.context=b,c.props=g,c.__P=e,c.__e=!1,h=S.__r,_=0,m)c.state=c.__s,c.__d=!1,h&&h(n),f=c.render(c.props,c.state,c.context),fe.push.apply(c.__h,c._sb),c._sb=[];else do c.__d=!1,h&&h(n),f=c.render(c.props,c.state,c.context),c.state=c.__s;while(c.__d&&++_<25);c.state=c.__s,c.getChildContext!=null&&(i=z(z({},i),c.getChildContext())),m&&!p&&c.getSnapshotBeforeUpdate!=null&&(k=c.getSnapshotBeforeUpdate(y,C)),A=f!=null&&f.type===K&&f.key==null?bn(f.props.children):f,d=fn(e,ke(A)?A:[A],n,r,i,a,l,s,d,u,o),c.base=n.__e,n.__u&=-161,c.__h.length&&s.push(c),x&&(c.__E=c.__=null)}catch(F){if(s.length=v,n.__v=null,u||l!=null){if(F.then){for(n.__u|=u?160:128;d&&d.nodeType==8&&d.nextSibling;)d=d.nextSibling;l!=null&&(l[l.indexOf(d)]=null),n.__e=d}else if(l!=null)for(q=l.length;q--;)Oe(l[q])}else n.__e=r.__e;n.__k==null&&(n.__k=r.__k||[]),F.then||vn(n),S.__e(F,n,r)}}else l==null&&n.__v==r.__v?(n.__k=r.__k,n.__e=r.__e):d=n.__e=Un(r.__e,n,r,i,a,l,s,u,o);return(f=S.diffed)&&f(n),128&n.__u?void 0:d}function vn(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(vn))}function yn(e,n,r){for(var i=0;i<r.length;i++)Ue(r[i],r[++i],r[++i]);S.__c&&S.__c(n,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(l){l.call(a)})}catch(l){S.__e(l,a.__v)}})}function bn(e){return typeof e!="object"||e==null||e.__b>0?e:ke(e)?e.map(bn):e.constructor!==void 0?null:z({},e)}function Un(e,n,r,i,a,l,s,d,u){var o,f,v,c,p,y,C,k=r.props||_e,x=n.props,g=n.type;if(g=="svg"?a="http://www.w3.org/2000/svg":g=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),l!=null){for(o=0;o<l.length;o++)if((p=l[o])&&"setAttribute"in p==!!g&&(g?p.localName==g:p.nodeType==3)){e=p,l[o]=null;break}}if(e==null){if(g==null)return document.createTextNode(x);e=document.createElementNS(a,g,x.is&&x),d&&(S.__m&&S.__m(n,l),d=!1),l=null}if(g==null)k===x||d&&e.data==x||(e.data=x);else{if(l=g=="textarea"&&x.defaultValue!=null?null:l&&we.call(e.childNodes),!d&&l!=null)for(k={},o=0;o<e.attributes.length;o++)k[(p=e.attributes[o]).name]=p.value;for(o in k)p=k[o],o=="dangerouslySetInnerHTML"?v=p:o=="children"||o in x||o=="value"&&"defaultValue"in x||o=="checked"&&"defaultChecked"in x||le(e,o,null,p,a);for(o in x)p=x[o],o=="children"?c=p:o=="dangerouslySetInnerHTML"?f=p:o=="value"?y=p:o=="checked"?C=p:d&&typeof p!="function"||k[o]===p||le(e,o,p,k[o],a);if(f)d||v&&(f.__html==v.__html||f.__html==e.innerHTML)||(e.innerHTML=f.__html),n.__k=[];else if(v&&(e.innerHTML=""),fn(n.type=="template"?e.content:e,ke(c)?c:[c],n,r,i,g=="foreignObject"?"http://www.w3.org/1999/xhtml":a,l,s,l?l[0]:r.__k&&Z(r,0),d,u),l!=null)for(o=l.length;o--;)Oe(l[o]);d&&g!="textarea"||(o="value",g=="progress"&&y==null?e.removeAttribute("value"):y!=null&&(y!==e[o]||g=="progress"&&!y||g=="option"&&y!=k[o])&&le(e,o,y,k[o],a),o="checked",C!=null&&C!=e[o]&&le(e,o,C,k[o],a))}return e}function Ue(e,n,r){try{if(typeof e=="function"){var i=typeof e.__u=="function";i&&e.__u(),i&&n==null||(e.__u=e(n))}else e.current=n}catch(a){S.__e(a,r)}}function wn(e,n,r){var i,a;if(S.unmount&&S.unmount(e),(i=e.ref)&&(i.current&&i.current!=e.__e||Ue(i,null,n)),(i=e.__c)!=null){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(l){S.__e(l,n)}i.base=i.__P=i.__n=null}if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&wn(i[a],n,r||typeof e.type!="function");r||Oe(e.__e),e.__c=e.__=e.__e=void 0}function Bn(e,n,r){return this.constructor(e,r)}function Fn(e,n,r){var i,a,l,s;n==document&&(n=document.documentElement),S.__&&S.__(e,n),a=(i=!1)?null:n.__k,l=[],s=[],qe(n,e=n.__k=Mn(K,null,[e]),a||_e,_e,n.namespaceURI,a?null:n.firstChild?we.call(n.childNodes):null,l,a?a.__e:n.firstChild,i,s),yn(l,e,s),e.props.children=null}function Ln(e){function n(r){var i,a;return this.getChildContext||(i=new Set,(a={})[n.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){i=null},this.shouldComponentUpdate=function(l){this.props.value!=l.value&&i.forEach(function(s){s.__e=!0,Pe(s)})},this.sub=function(l){i.add(l);var s=l.componentWillUnmount;l.componentWillUnmount=function(){i&&i.delete(l),s&&s.call(l)}}),r.children}return n.__c="__cC"+pn++,n.__=e,n.Provider=n.__l=(n.Consumer=function(r,i){return r.children(i)}).contextType=n,n}we=fe.slice,S={__e:function(e,n,r,i){for(var a,l,s;n=n.__;)if((a=n.__c)&&!a.__)try{if((l=a.constructor)&&l.getDerivedStateFromError!=null&&(a.setState(l.getDerivedStateFromError(e)),s=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(e,i||{}),s=a.__d),s)return a.__E=a}catch(d){e=d}throw e}},dn=0,he.prototype.setState=function(e,n){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=z({},this.state),typeof e=="function"&&(e=e(z({},r),this.props)),e&&z(r,e),e!=null&&this.__v&&(n&&this._sb.push(n),Pe(this))},he.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Pe(this))},he.prototype.render=K,Y=[],un=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,hn=function(e,n){return e.__v.__b-n.__v.__b},ge.__r=0,xe=Math.random().toString(8),de="__d"+xe,se="__a"+xe,mn=/(PointerCapture)$|Capture$/i,Ne=0,Ie=We(!1),Re=We(!0),pn=0;var En=0;function t(e,n,r,i,a,l){n||(n={});var s,d,u=n;if("ref"in u)for(d in u={},n)d=="ref"?s=n[d]:u[d]=n[d];var o={type:e,props:u,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--En,__i:-1,__u:0,__source:a,__self:l};if(typeof e=="function"&&(s=e.defaultProps))for(d in s)u[d]===void 0&&(u[d]=s[d]);return S.vnode&&S.vnode(o),o}var ne,R,Se,Ke,oe=0,kn=[],D=S,Qe=D.__b,Ge=D.__r,Ye=D.diffed,Je=D.__c,Xe=D.unmount,Ze=D.__;function $e(e,n){D.__h&&D.__h(R,e,oe||n),oe=0;var r=R.__H||(R.__H={__:[],__h:[]});return e>=r.__.length&&r.__.push({}),r.__[e]}function $(e){return oe=1,Vn(xn,e)}function Vn(e,n,r){var i=$e(ne++,2);if(i.t=e,!i.__c&&(i.__=[xn(void 0,n),function(d){var u=i.__N?i.__N[0]:i.__[0],o=i.t(u,d);u!==o&&(i.__N=[o,i.__[1]],i.__c.setState({}))}],i.__c=R,!R.__f)){var a=function(d,u,o){if(!i.__c.__H)return!0;var f=!1,v=i.__c.props!==d;if(i.__c.__H.__.some(function(p){if(p.__N){f=!0;var y=p.__[0];p.__=p.__N,p.__N=void 0,y!==p.__[0]&&(v=!0)}}),l){var c=l.call(this,d,u,o);return f?c||v:c}return!f||v};R.__f=!0;var l=R.shouldComponentUpdate,s=R.componentWillUpdate;R.componentWillUpdate=function(d,u,o){if(this.__e){var f=l;l=void 0,a(d,u,o),l=f}s&&s.call(this,d,u,o)},R.shouldComponentUpdate=a}return i.__N||i.__}function L(e,n){var r=$e(ne++,3);!D.__s&&Cn(r.__H,n)&&(r.__=e,r.u=n,R.__H.__h.push(r))}function ae(e){return oe=5,$n(function(){return{current:e}},[])}function $n(e,n){var r=$e(ne++,7);return Cn(r.__H,n)&&(r.__=e(),r.__H=n,r.__h=e),r.__}function Hn(e,n){return oe=8,$n(function(){return e},n)}function jn(e){var n=R.context[e.__c],r=$e(ne++,9);return r.c=e,n?(r.__==null&&(r.__=!0,n.sub(R)),n.props.value):e.__}function zn(){for(var e;e=kn.shift();){var n=e.__H;if(e.__P&&n)try{n.__h.some(me),n.__h.some(De),n.__h=[]}catch(r){n.__h=[],D.__e(r,e.__v)}}}D.__b=function(e){R=null,Qe&&Qe(e)},D.__=function(e,n){e&&n.__k&&n.__k.__m&&(e.__m=n.__k.__m),Ze&&Ze(e,n)},D.__r=function(e){Ge&&Ge(e),ne=0;var n=(R=e.__c).__H;n&&(Se===R?(n.__h=[],R.__h=[],n.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(n.__h.some(me),n.__h.some(De),n.__h=[],ne=0)),Se=R},D.diffed=function(e){Ye&&Ye(e);var n=e.__c;n&&n.__H&&(n.__H.__h.length&&(kn.push(n)!==1&&Ke===D.requestAnimationFrame||((Ke=D.requestAnimationFrame)||Wn)(zn)),n.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Se=R=null},D.__c=function(e,n){n.some(function(r){try{r.__h.some(me),r.__h=r.__h.filter(function(i){return!i.__||De(i)})}catch(i){n.some(function(a){a.__h&&(a.__h=[])}),n=[],D.__e(i,r.__v)}}),Je&&Je(e,n)},D.unmount=function(e){Xe&&Xe(e);var n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(i){try{me(i)}catch(a){n=a}}),r.__H=void 0,n&&D.__e(n,r.__v))};var en=typeof requestAnimationFrame=="function";function Wn(e){var n,r=function(){clearTimeout(i),en&&cancelAnimationFrame(n),setTimeout(e)},i=setTimeout(r,35);en&&(n=requestAnimationFrame(r))}function me(e){var n=R,r=e.__c;typeof r=="function"&&(e.__c=void 0,r()),R=n}function De(e){var n=R;e.__c=e.__(),R=n}function Cn(e,n){return!e||e.length!==n.length||n.some(function(r,i){return r!==e[i]})}function xn(e,n){return typeof n=="function"?n(e):n}const Kn={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record."};function X(e,n,r){const i=Kn[e];if(e==="validation_failed"||e==="invalid_body"||e==="bad_user_input"){const a=r?` (${r})`:"";return n?`${nn(n)}${a}.`.replace(/\.\.$/,"."):`${i??""}${a}`}return i||(n?`${nn(n)}${n.endsWith(".")?"":"."}`:`The request failed (${e.replace(/_/g," ")}).`)}function nn(e){return e.charAt(0).toUpperCase()+e.slice(1)}let E=null,ce=null;const ve=new Set;class W extends Error{constructor(n,r,i){super(r),this.code=n,this.field=i}code;field}function Qn(e){return ve.add(e),()=>ve.delete(e)}function Gn(){return E!==null}function Sn(e){E={access:e.access_token,refresh:e.refresh_token,expiresAt:Date.now()+Math.max(0,e.expires_in-60)*1e3}}function Be(){const e=E!==null;E=null,e&&ve.forEach(n=>n(!1))}async function Fe(e){let n=`http_${e.status}`,r="",i;try{const a=await e.json();n=a.code??n,r=a.detail??"",i=a.errors?.[0]?.field}catch{}return new W(n,X(n,r,i),i)}async function Le(e,n){try{return await fetch(e,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(n),credentials:"omit"})}catch{throw new W("network",X("network","",void 0))}}async function Yn(e,n){const r=await Le("/v1/auth/token",{email:e,password:n});if(!r.ok)throw await Fe(r);Sn(await r.json()),ve.forEach(i=>i(!0))}async function tn(){if(!E)throw new W("unauthenticated",X("unauthenticated","",void 0));if(!ce){const e=E.refresh;ce=(async()=>{const n=await Le("/v1/auth/refresh",{refresh_token:e});if(!n.ok){const r=await Fe(n);throw Be(),r}Sn(await n.json())})().finally(()=>{ce=null})}return ce}async function An(){const e=E;Be(),e&&await Le("/v1/auth/logout",{refresh_token:e.refresh}).catch(()=>{})}const rn=new Set(["unauthenticated","token_expired","session_ended"]);async function U(e,n){for(let r=0;;r++){if(!E)throw new W("unauthenticated",X("unauthenticated","",void 0));Date.now()>=E.expiresAt&&await tn();const i=E?.access??"";let a;try{a=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${i}`},body:JSON.stringify({query:e.toString(),variables:n??{}}),credentials:"omit"})}catch{throw new W("network",X("network","",void 0))}if(!a.ok)throw await Fe(a);const l=await a.json(),s=l.errors?.[0];if(s){const d=s.extensions?.code??"internal_error";if(rn.has(d)&&r===0&&d!=="session_ended"){await tn();continue}throw rn.has(d)&&Be(),new W(d,X(d,s.message,s.extensions?.field))}if(l.data==null)throw new W("internal_error",X("internal_error","",void 0));return l.data}}function ye(){return crypto.randomUUID()}let Ee="EUR";function te(e){return typeof e=="number"?e:Number(e)}function Jn(e){Ee=e}function P(e,n=Ee){if(e==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:n}).format(te(e)/100)}catch{return`${(te(e)/100).toFixed(2)} ${n}`}}function pe(e,n=Ee){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:n,notation:"compact",maximumFractionDigits:1}).format(te(e)/100)}catch{return`${Math.round(te(e)/100)} ${n}`}}function N(e,n=0){return e==null||Number.isNaN(e)?"—":`${(e*100).toFixed(n)} %`}function T(e){return new Intl.NumberFormat("en-GB").format(te(e))}function J(e){if(!e)return"—";const n=new Date(e);return Number.isNaN(n.getTime())?e:n.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function In(e){if(!e)return"—";const n=Math.floor((Date.now()-new Date(e).getTime())/864e5);if(n<=0)return"today";if(n===1)return"yesterday";if(n<60)return`${n} days ago`;const r=Math.round(n/30.4);return r<24?`${r} months ago`:`${Math.round(n/365)} years ago`}function M(e){if(!e)return"—";const n=e.replace(/_/g," ");return n.charAt(0).toUpperCase()+n.slice(1)}class O extends String{__apiType;value;__meta__;constructor(n,r){super(n),this.value=n,this.__meta__=r}toString(){return this.value}}new O(`
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
    `,{fragmentName:"ArmComparisonParts"});const Xn=new O(`
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
    `),Zn=new O(`
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
    `),et=new O(`
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
}`),nt=new O(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),tt=new O(`
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
    `),rt=new O(`
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
    `),it=new O(`
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
    `),at=new O(`
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
    `),st=new O(`
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
    `),ot=new O(`
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
    `),lt=new O(`
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
    `),ct=new O(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),dt=new O(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),ut=new O(`
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
    `),ht={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":Xn,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Zn,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":et,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":nt,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":tt,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':rt,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':it,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':at,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':st,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":ot,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":lt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":ct,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":dt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":ut};function B(e){return ht[e]??{}}function Ae({values:e,label:n}){if(e.length<2)return null;const a=Math.max(...e),l=Math.min(...e),s=a-l||1,d=e.map((u,o)=>`${(o/(e.length-1)*120).toFixed(1)},${(30-(u-l)/s*28).toFixed(1)}`).join(" ");return t("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":n,children:t("polyline",{points:d,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function mt({bars:e,label:n,height:r=140}){const a=Math.max(240,e.length*72),l=Math.max(1,...e.map(s=>s.value));return t("svg",{class:"chart",viewBox:`0 0 ${a} ${r+36}`,role:"img","aria-label":`${n}. ${e.map(s=>`${s.label}: ${s.text}`).join("; ")}`,children:e.map((s,d)=>{const u=s.value/l*(r-16);return t("g",{children:[t("title",{children:`${s.label}: ${s.text}`}),t("rect",{x:d*72+4,y:r-u,width:64,height:u,class:"bar"}),t("text",{x:d*72+72/2,y:r-u-4,"text-anchor":"middle",class:"tick",children:s.text}),t("text",{x:d*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:s.label})]},`${d}-${s.label}`)})})}function pt({value:e,label:n,tone:r}){return t("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${n}: ${N(e)}`,children:[t("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),t("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,e))*200,height:"12",rx:"6",class:"fill"})]})}const _t=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function ft({cells:e,onPick:n}){const a=new Map(e.map(u=>[u.segment,u])),l=Math.max(1e-4,...e.map(u=>u.shareOfRevenue)),s=new Set,d=e.map(u=>`${u.label}: ${u.accounts} customers, ${pe(u.revenue)}`).join("; ");return t("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${d}`,children:[_t.map((u,o)=>u.map((f,v)=>{const c=a.get(f),p=c?c.shareOfRevenue/l:0,y=!s.has(f);s.add(f);const C=28+v*96,k=o*96;return t("g",{class:n?"pick":void 0,onClick:()=>n?.(f),children:[t("title",{children:c?`${c.label}: ${c.accounts} customers, ${pe(c.revenue)} revenue`:f}),t("rect",{x:C+1,y:k+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-p*58)}%)`}),y&&c&&t(K,{children:[t("text",{x:C+6,y:k+18,class:p>.55?"cell light":"cell",children:c.label}),t("text",{x:C+6,y:k+36,class:p>.55?"cell light":"cell",children:[c.accounts," customers"]}),t("text",{x:C+6,y:k+52,class:p>.55?"cell light":"cell",children:pe(c.revenue)})]})]},`${o}-${v}`)})),[5,4,3,2,1].map((u,o)=>t("text",{x:10,y:o*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${u}`},`r${u}`)),[1,2,3,4,5].map((u,o)=>t("text",{x:28+o*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${u}`},`fm${u}`))]})}function gt({rows:e,label:n}){const l=e.flatMap(v=>[v.estimate,v.low??v.estimate,v.high??v.estimate,0]),s=Math.min(...l),u=Math.max(...l)-s||1,o=v=>160+(v-s)/u*340,f=e.length*30+24;return t("svg",{class:"chart interval",viewBox:`0 0 520 ${f}`,role:"img","aria-label":`${n}. ${e.map(v=>`${v.label}: ${v.text}`).join("; ")}`,children:[t("line",{x1:o(0),x2:o(0),y1:0,y2:e.length*30,class:"zero"}),t("text",{x:o(0),y:f-6,"text-anchor":"middle",class:"tick",children:"0"}),e.map((v,c)=>{const p=c*30+15;return t("g",{children:[t("title",{children:`${v.label}: ${v.text}`}),t("text",{x:0,y:p+4,class:"tick",children:v.label}),v.low!=null&&v.high!=null&&t("line",{x1:o(v.low),x2:o(v.high),y1:p,y2:p,class:"ci"}),v.low!=null&&t("line",{x1:o(v.low),x2:o(v.low),y1:p-6,y2:p+6,class:"ci"}),v.high!=null&&t("line",{x1:o(v.high),x2:o(v.high),y1:p-6,y2:p+6,class:"ci"}),t("circle",{cx:o(v.estimate),cy:p,r:5,class:v.low!=null&&v.low>0?"est good":"est"})]},v.label)})]})}const re="/console";function an(){const e=location.pathname.startsWith(re)?location.pathname.slice(re.length):"/";return e===""?"/":e}const be=new Set;window.addEventListener("popstate",()=>be.forEach(e=>e()));function Rn(e){history.pushState(null,"",re+e),be.forEach(n=>n()),window.scrollTo(0,0)}function vt(){const[e,n]=$(an());return L(()=>{const r=()=>n(an());return be.add(r),()=>be.delete(r)},[]),e}function yt(e){const n=e.currentTarget??null;if(!n||e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;const r=n.getAttribute("href")??"";r.startsWith(re)&&(e.preventDefault(),Rn(r.slice(re.length)||"/"))}const Pn=Ln(null);function Ve(){const e=jn(Pn);if(!e)throw new Error("no session");return e}function He(e,n){switch(n){case"deals":case"segments":return["owner","admin","manager","agent"].includes(e.role);case"campaigns":return["owner","admin","manager"].includes(e.role)}}function H(e){return t("a",{href:re+e.href,onClick:yt,class:e.class,"aria-current":e["aria-current"],children:e.children})}function G({what:e}){return t("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",e,"…"]})}function V({children:e}){return t("p",{class:"state empty",children:e})}function j({error:e,retry:n}){return t("div",{class:"state error",role:"alert",children:[t("p",{children:ie(e)}),n&&t("button",{type:"button",onClick:n,children:"Try again"})]})}function ie(e){return e instanceof W?e.message:"Something went wrong in the console. Reload the page and try again."}function ee(e,n){const[r,i]=$({status:"loading"}),[a,l]=$(0),s=ae(0);L(()=>{const u=++s.current;i(o=>o.status==="ok"&&a>0?o:{status:"loading"}),e().then(o=>u===s.current&&i({status:"ok",data:o}),o=>u===s.current&&i({status:"error",error:o}))},[n,a]);const d=Hn(()=>l(u=>u+1),[]);return{...r,reload:d}}function Q({title:e,children:n,actions:r}){return L(()=>{document.title=`${e} · Rapport`},[e]),t("section",{class:"page","aria-labelledby":"page-title",children:[t("header",{class:"page-head",children:[t("h1",{id:"page-title",children:e}),r]}),n]})}const bt=B(`
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
`),wt=B(`
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
`),kt=B(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),$t=B(`
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
`),Ct=["in_store","call","direct_mail","email","sms","push"];function xt({id:e}){const n=ee(()=>U(wt,{id:e}),e);if(n.status==="loading")return t(G,{what:"results"});if(n.status==="error")return t(j,{error:n.error,retry:n.reload});const r=n.data.campaignResults,i=r.total,a=[i,...r.byRfmSegment.filter(s=>s.treatment.members>0)].map(s=>({label:s.group==="all"?"All members":M(s.group),estimate:s.conversionUplift.difference*100,low:s.conversionUplift.ciLow==null?null:s.conversionUplift.ciLow*100,high:s.conversionUplift.ciHigh==null?null:s.conversionUplift.ciHigh*100,text:`${(s.conversionUplift.difference*100).toFixed(1)} points`+(s.conversionUplift.ciLow!=null&&s.conversionUplift.ciHigh!=null?` (95 % interval ${(s.conversionUplift.ciLow*100).toFixed(1)} to ${(s.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),l=i.conversionUplift;return t("div",{"data-testid":"results",children:[t("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",N(i.treatment.conversionRate,1)," of treated members bought against ",N(i.control.conversionRate,1)," in the control group, an uplift of ",t("strong",{children:[(l.difference*100).toFixed(1)," percentage points"]}),l.ciLow!=null&&l.ciHigh!=null?` (95 % interval ${(l.ciLow*100).toFixed(1)} to ${(l.ciHigh*100).toFixed(1)})`:"",", which is"," ",l.significance==="significant"?"statistically significant":l.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),t(gt,{rows:a,label:"Conversion uplift in percentage points with 95 % intervals"}),t("dl",{class:"kpis",children:[t("div",{children:[t("dt",{children:"Incremental revenue"}),t("dd",{children:P(i.incrementalRevenue,r.currency)})]}),t("div",{children:[t("dt",{children:"Incremental margin"}),t("dd",{children:P(i.incrementalMargin,r.currency)})]}),t("div",{children:[t("dt",{children:"Cost"}),t("dd",{children:P(r.cost,r.currency)})]}),t("div",{children:[t("dt",{children:"ROMI"}),t("dd",{children:r.romi==null?"free campaign":N(r.romi)})]})]}),t("p",{class:"muted small",children:["Window ",J(r.windowStart)," to ",J(r.windowEnd)," · ",T(i.treatment.members)," treated, ",T(i.control.members)," in control."]})]})}function St({selected:e}){const n=Ve(),r=He(n,"campaigns"),i=ee(()=>U(bt),"campaigns"),[a,l]=$(""),[s,d]=$(""),[u,o]=$("in_store"),[f,v]=$("10"),[c,p]=$(!1),[y,C]=$(null);if(i.status==="loading")return t(G,{what:"campaigns"});if(i.status==="error")return t(j,{error:i.error,retry:i.reload});const{campaigns:k,segments:x}=i.data,g=new Map(x.nodes.map(h=>[h.id,h.name])),m=k.nodes.find(h=>h.id===e)??null,w=async h=>{h.preventDefault(),p(!0),C(null);try{const _=Number(f)/100,A=await U(kt,{input:{name:a.trim(),segmentId:s||(x.nodes[0]?.id??""),channel:u,controlShare:_,costFixed:0,costPerContact:0},key:ye()});C({ok:!0,text:`Draft “${A.createCampaign.name}” created. Launch it when ready.`}),l(""),i.reload()}catch(_){C({ok:!1,text:ie(_)})}finally{p(!1)}},b=async(h,_)=>{p(!0),C(null);try{const q=(await U($t,{id:h,key:ye()})).launchCampaign.audience;C({ok:!0,text:`“${_}” launched: ${q?`${T(q.treated)} customers treated, ${T(q.control)} held out as control`:"audience drawn"}.`}),i.reload()}catch(A){C({ok:!1,text:ie(A)})}finally{p(!1)}};return t(Q,{title:"Campaigns",children:[t("div",{"aria-live":"polite",children:y&&t("p",{class:`notice ${y.ok?"ok":"conflict"}`,role:y.ok?"status":"alert","data-testid":"campaign-notice",children:y.text})}),t("div",{class:"grid",children:[t("article",{class:"card wide","aria-labelledby":"list-h",children:[t("h2",{id:"list-h",children:"All campaigns"}),k.nodes.length===0?t(V,{children:"No campaign yet."}):t("table",{class:"list","aria-labelledby":"list-h",children:[t("thead",{children:t("tr",{children:[t("th",{scope:"col",children:"Name"}),t("th",{scope:"col",children:"Segment"}),t("th",{scope:"col",children:"Channel"}),t("th",{scope:"col",children:"Status"}),t("th",{scope:"col",class:"num",children:"Treated / control"}),t("th",{scope:"col",children:t("span",{class:"muted small",children:"Action"})})]})}),t("tbody",{children:k.nodes.map(h=>t("tr",{children:[t("td",{children:h.status==="draft"?h.name:t(H,{href:`/campaigns/${encodeURIComponent(h.id)}`,children:h.name})}),t("td",{children:g.get(h.segmentId)??"—"}),t("td",{children:M(h.channel)}),t("td",{children:[M(h.status),h.launchedAt?` ${J(h.launchedAt)}`:""]}),t("td",{class:"num",children:h.audience?`${T(h.audience.treated)} / ${T(h.audience.control)}`:"—"}),t("td",{children:[h.status==="draft"&&r&&t("button",{type:"button",disabled:c,onClick:()=>{b(h.id,h.name)},children:["Launch “",h.name,"”"]}),h.status!=="draft"&&t("button",{type:"button",class:"secondary",onClick:()=>Rn(`/campaigns/${encodeURIComponent(h.id)}`),children:"Results"})]})]},h.id))})]})]}),m&&m.status!=="draft"&&t("article",{class:"card wide","aria-labelledby":"results-h",children:[t("h2",{id:"results-h",children:["Results: ",m.name]}),t(xt,{id:m.id})]}),r&&t("article",{class:"card","aria-labelledby":"new-h",children:[t("h2",{id:"new-h",children:"New campaign"}),x.nodes.length===0?t(V,{children:["A campaign targets a segment: ",t(H,{href:"/segments",children:"build one first"}),"."]}):t("form",{onSubmit:h=>{w(h)},class:"rule",children:[t("label",{children:["Name",t("input",{name:"campaign-name",required:!0,maxLength:200,value:a,onInput:h=>l(h.currentTarget.value)})]}),t("label",{children:["Segment",t("select",{name:"campaign-segment",value:s||x.nodes[0]?.id,onChange:h=>d(h.currentTarget.value),children:x.nodes.map(h=>t("option",{value:h.id,children:h.name},h.id))})]}),t("label",{children:["Channel",t("select",{value:u,onChange:h=>o(h.currentTarget.value),children:Ct.map(h=>t("option",{value:h,children:M(h)},h))})]}),t("label",{children:["Control group (% held out)",t("input",{type:"number",min:1,max:90,value:f,onInput:h=>v(h.currentTarget.value)})]}),t("button",{type:"submit",disabled:c||!a.trim(),children:"Create draft"})]})]})]})]})}const At=B(`
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
`),It={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},sn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function Rt(e,n){if(n.predictionsUnavailable&&n.pAlive==null)return[`${e} ${sn[n.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return n.pAlive!=null&&r.push(`There is a ${N(n.pAlive)} chance that ${e} is still an active customer (so a ${N(n.churnProbability??1-n.pAlive)} churn probability), judged from how often they bought (${n.repeatPurchases} repeat purchase days) and how long it has been since the last order (${In(n.lastOrderAt)}).`),n.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${n.expectedOrders90d.toFixed(1)} orders from them.`),n.clv!=null?r.push(`Their customer lifetime value is ${P(n.clv,n.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${n.expectedOrderValue!=null?`, at about ${P(n.expectedOrderValue,n.currency)} an order`:""}.`):n.predictionsUnavailable&&r.push(`No CLV: ${e} ${sn[n.predictionsUnavailable]??"has no money predictions"}.`),r}function Pt(e){return e==="healthy"?"good":e==="watch"?"warn":"bad"}function Dt({id:e}){const n=ee(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),U(At,{id:e})),e);if(L(()=>{n.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[n.status,e]),n.status==="loading")return t(G,{what:"the customer"});if(n.status==="error")return t(j,{error:n.error,retry:n.reload});const{account:r,loyaltyBalance:i,deals:a,pipelines:l}=n.data;if(!r)return t(Q,{title:"Customer not found",children:t(V,{children:["There is no such customer in this workspace. ",t(H,{href:"/customers",children:"Back to customers"}),"."]})});const s=r.metrics,d=new Map(l.nodes.flatMap(o=>o.stages.map(f=>[f.id,f.name]))),u=[...r.interactions.nodes.map(o=>({at:o.occurredAt,key:`i${o.id}`,what:`${M(o.type)}${o.channel?` · ${o.channel}`:""}${o.direction?` · ${o.direction}`:""}`,text:o.subject??""})),...r.orders.nodes.map(o=>({at:o.occurredAt,key:`o${o.id}`,what:`Order${o.channel?` · ${o.channel}`:""}`,text:`${P(o.amount,o.currency)}${o.status!=="completed"?` (${M(o.status).toLowerCase()})`:""}`}))].sort((o,f)=>o.at<f.at?1:-1);return t(Q,{title:r.name,children:[t("p",{class:"muted",children:[M(r.kind)," · ",M(r.lifecycleStage)," · customer since ",J(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),t("div",{class:"grid",children:[t("article",{class:"card wide","aria-labelledby":"value-h",children:[t("h2",{id:"value-h",children:"Value"}),t("dl",{class:"kpis",children:[t("div",{children:[t("dt",{children:"CLV (12 months)"}),t("dd",{"data-testid":"clv",children:P(s.clv,s.currency)})]}),t("div",{children:[t("dt",{children:"Revenue to date"}),t("dd",{children:P(s.revenue,s.currency)})]}),t("div",{children:[t("dt",{children:"Orders"}),t("dd",{children:T(s.ordersCount)})]}),t("div",{children:[t("dt",{children:"Average order"}),t("dd",{children:P(s.averageOrderValue,s.currency)})]}),t("div",{children:[t("dt",{children:"Last order"}),t("dd",{children:In(s.lastOrderAt)})]})]}),s.pAlive!=null&&t("div",{class:"meters",children:[t("span",{children:"Still active"})," ",t(pt,{value:s.pAlive,label:"Probability still active",tone:Pt(s.riskBand)})," ",t("strong",{children:N(s.pAlive)})]}),t("div",{class:"explain","data-testid":"explain",children:Rt(r.name,s).map(o=>t("p",{children:o},o))})]}),t("article",{class:"card","aria-labelledby":"rfm-h",children:[t("h2",{id:"rfm-h",children:"RFM and risk"}),s.rfm?t(K,{children:[t("p",{class:"big",children:s.rfm.label}),t("p",{children:["Recency ",s.rfm.r,"/5 · Frequency ",s.rfm.f,"/5 · Monetary ",s.rfm.m,"/5"]})]}):t("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),s.riskBand&&t("p",{children:[t("span",{class:`band ${s.riskBand}`,children:M(s.riskBand)})," ",It[s.riskBand]??""]})]}),t("article",{class:"card","aria-labelledby":"loyalty-h",children:[t("h2",{id:"loyalty-h",children:"Loyalty"}),i?t(K,{children:[t("p",{class:"big",children:[T(i.available)," points"]}),t("p",{children:[i.tier?`${i.tier.name} tier`:"No tier yet",i.nextTier?` · ${T(i.nextTier.missing)} to ${i.nextTier.name}`:""]}),t("p",{class:"muted small",children:[T(i.pending)," pending · ",T(i.expiringIn30Days)," expiring within 30 days · ",T(i.lifetimeEarned)," earned in all"]})]}):t("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),t("article",{class:"card","aria-labelledby":"deals-h",children:[t("h2",{id:"deals-h",children:"Open deals"}),a.nodes.length===0?t("p",{class:"muted",children:"No open deal."}):t("ul",{class:"plain",children:a.nodes.map(o=>t("li",{children:[t("strong",{children:o.title})," · ",P(o.amount,o.currency)," · ",d.get(o.stageId)??"stage",o.expectedCloseOn?` · closes ${J(o.expectedCloseOn)}`:""]},o.id))})]}),t("article",{class:"card wide","aria-labelledby":"timeline-h",children:[t("h2",{id:"timeline-h",children:"Timeline"}),u.length===0?t("p",{class:"muted",children:"Nothing has happened with this customer yet."}):t("ol",{class:"timeline",children:u.map(o=>t("li",{children:[t("time",{dateTime:o.at,children:J(o.at)})," ",t("strong",{children:o.what})," ",o.text]},o.key))})]}),t("article",{class:"card wide","aria-labelledby":"orders-h",children:[t("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?t("p",{class:"muted",children:"No orders."}):t("table",{class:"list","aria-labelledby":"orders-h",children:[t("thead",{children:t("tr",{children:[t("th",{scope:"col",children:"Date"}),t("th",{scope:"col",children:"Reference"}),t("th",{scope:"col",children:"Channel"}),t("th",{scope:"col",children:"Status"}),t("th",{scope:"col",class:"num",children:"Amount"})]})}),t("tbody",{children:r.orders.nodes.map(o=>t("tr",{children:[t("td",{children:J(o.occurredAt)}),t("td",{children:o.externalId??"—"}),t("td",{children:o.channel??"—"}),t("td",{children:M(o.status)}),t("td",{class:"num",children:P(o.amount,o.currency)})]},o.id))})]})]})]})]})}const Tt=B(`
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
`),Mt=50;function Nt(){const[e,n]=$(""),[r,i]=$(""),[a,l]=$(""),[s,d]=$(null),[u,o]=$([]),[f,v]=$(null),[c,p]=$(!1),[y,C]=$("loading"),[k,x]=$(null),g=ae(0),m=ae(null),w=ae(!1),b=ae({generation:0,cursor:null});L(()=>{const _=setTimeout(()=>i(e.trim()),250);return()=>clearTimeout(_)},[e]);const h=async _=>{const A=g.current;w.current=!0;try{const q={...r?{q:r}:{},...a?{segmentId:a}:{}},I=await U(Tt,{first:Mt,after:_,filter:q,withSegments:s===null});if(A!==g.current)return;I.segments&&d(I.segments.nodes),o(F=>{if(!_)return I.accounts.nodes;const Dn=new Set(F.map(Ce=>Ce.id));return[...F,...I.accounts.nodes.filter(Ce=>!Dn.has(Ce.id))]}),b.current={generation:A,cursor:I.accounts.pageInfo.endCursor??null},v(I.accounts.pageInfo.endCursor??null),p(I.accounts.pageInfo.hasNextPage),C("ok")}catch(q){if(A!==g.current)return;x(q),C("error")}finally{A===g.current&&(w.current=!1)}};return L(()=>{g.current++,w.current=!1,b.current={generation:g.current,cursor:null},p(!1),v(null),C("loading"),o([]),h(null)},[r,a]),L(()=>{const _=m.current;if(!_||!c)return;const A=new IntersectionObserver(q=>{const I=b.current;q.some(F=>F.isIntersecting)&&!w.current&&I.cursor&&I.generation===g.current&&h(I.cursor)});return A.observe(_),()=>A.disconnect()},[c,f,u.length]),t(Q,{title:"Customers",children:[t("form",{class:"filters",role:"search",onSubmit:_=>_.preventDefault(),children:[t("label",{children:["Search",t("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:e,onInput:_=>n(_.currentTarget.value)})]}),t("label",{children:["Segment",t("select",{name:"segment",value:a,onChange:_=>l(_.currentTarget.value),children:[t("option",{value:"",children:"All customers"}),(s??[]).map(_=>t("option",{value:_.id,children:_.name},_.id))]})]})]}),y==="loading"&&t(G,{what:"customers"}),y==="error"&&t(j,{error:k,retry:()=>{h(null)}}),y==="ok"&&u.length===0&&t(V,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),u.length>0&&t("table",{class:"list","aria-label":"Customers",children:[t("thead",{children:t("tr",{children:[t("th",{scope:"col",children:"Name"}),t("th",{scope:"col",children:"Stage"}),t("th",{scope:"col",children:"RFM segment"}),t("th",{scope:"col",class:"num",children:"Orders"}),t("th",{scope:"col",class:"num",children:"Revenue"}),t("th",{scope:"col",class:"num",children:"CLV (12 months)"}),t("th",{scope:"col",children:"Risk"})]})}),t("tbody",{children:u.map(_=>t("tr",{children:[t("td",{children:[t(H,{href:`/customers/${encodeURIComponent(_.id)}`,children:_.name}),t("div",{class:"muted small",children:_.emails[0]??M(_.kind)})]}),t("td",{children:M(_.lifecycleStage)}),t("td",{children:_.metrics.rfm?.label??"—"}),t("td",{class:"num",children:_.metrics.ordersCount}),t("td",{class:"num",children:P(_.metrics.revenue)}),t("td",{class:"num",children:P(_.metrics.clv)}),t("td",{children:_.metrics.riskBand?t("span",{class:`band ${_.metrics.riskBand}`,children:M(_.metrics.riskBand)}):"—"})]},_.id))})]}),t("div",{ref:m,class:"sentinel","aria-hidden":"true"}),c&&y==="ok"&&t("p",{class:"muted small",children:"Scroll for more…"})]})}const Ot=B(`
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
`);function qt(){const e=new Date;return e.setUTCFullYear(e.getUTCFullYear()-1),e.setUTCDate(1),e.toISOString().slice(0,10)}function Ut(){const e=ee(()=>U(Ot,{from:qt()}),"overview");if(e.status==="loading")return t(G,{what:"the overview"});if(e.status==="error")return t(j,{error:e.error,retry:e.reload});const{valueDistribution:n,churnReport:r,atRiskAccounts:i}=e.data,a=r.periods,l=a[a.length-1],s=n.revenue.concentration.find(d=>d.topPercent===10);return t(Q,{title:"Overview",children:n.revenue.customers===0?t(V,{children:"No orders yet: the figures appear with the first purchases."}):t("div",{class:"grid",children:[t("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[t("h2",{id:"k-customers",children:"Buying customers"}),t("dl",{class:"kpis",children:[t("div",{children:[t("dt",{children:"All time"}),t("dd",{children:T(n.revenue.customers)})]}),t("div",{children:[t("dt",{children:"Active last month"}),t("dd",{children:[l?T(l.activeCustomers):"—",t(Ae,{values:a.map(d=>d.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),t("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[t("h2",{id:"k-revenue",children:"Revenue and value"}),t("dl",{class:"kpis",children:[t("div",{children:[t("dt",{children:"Net revenue"}),t("dd",{children:P(n.revenue.total,n.currency)})]}),t("div",{children:[t("dt",{children:"CLV, next 12 months"}),t("dd",{children:P(n.clv.total,n.currency)})]})]}),s&&t("p",{class:"muted small",children:["The top 10 % of customers bring ",N(s.share)," of revenue."]})]}),t("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[t("h2",{id:"k-retention",children:"Retention"}),t("dl",{class:"kpis",children:[t("div",{children:[t("dt",{children:"Repeat purchase rate"}),t("dd",{children:N(r.repeat.repeatPurchaseRate)})]}),t("div",{children:[t("dt",{children:"Churn last month"}),t("dd",{children:[l?N(l.churnRate,1):"—",t(Ae,{values:a.map(d=>d.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),t("div",{children:[t("dt",{children:"New last month"}),t("dd",{children:[l?T(l.newCustomers):"—",t(Ae,{values:a.map(d=>d.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&t("p",{class:"muted small",children:["The model expects ",N(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),t("article",{class:"card","aria-labelledby":"k-risk",children:[t("h2",{id:"k-risk",children:"Most value at risk"}),i.nodes.length===0?t("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):t("ul",{class:"plain",children:i.nodes.map(d=>t("li",{children:[t(H,{href:`/customers/${encodeURIComponent(d.accountId)}`,children:d.name})," · ",P(d.valueAtRisk,n.currency)," at risk ·"," ",N(d.churnProbability)," churn"]},d.accountId))}),t("p",{class:"small",children:t(H,{href:"/value",children:"See the whole value picture"})})]})]})})}const Bt=B(`
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
`),Ft=B(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function on(){const e=await U(Bt);return{pipelines:e.pipelines.nodes,deals:e.deals.nodes}}function Lt(){const e=Ve(),n=He(e,"deals"),[r,i]=$(null),a=ee(on,"board"),[l,s]=$(new Map),[d,u]=$(null),[o,f]=$(null),[v,c]=$(null);if(a.status==="loading")return t(G,{what:"the pipeline"});if(a.status==="error")return t(j,{error:a.error,retry:a.reload});const{pipelines:p}=a.data,y=p.find(m=>m.id===r)??p[0];if(!y)return t(Q,{title:"Pipeline",children:t(V,{children:"No pipeline yet."})});const C=a.data.deals.filter(m=>m.pipelineId===y.id).map(m=>l.get(m.id)??m),k=m=>y.stages.find(w=>w.id===m)?.name??"another stage",x=async(m,w)=>{if(m.stageId===w||v)return;const b=y.stages.find(_=>_.id===w);let h;if(!(b?.kind==="lost"&&(h=window.prompt(`Why was “${m.title}” lost?`,"price")??void 0,!h))){c(m.id),u(null);try{const _=await U(Ft,{id:m.id,stageId:w,ifVersion:m.version,lostReason:h??null,key:ye()});s(A=>new Map(A).set(m.id,{...m,stageId:_.moveDeal.stageId,version:_.moveDeal.version})),u({kind:"ok",text:`“${m.title}” moved to ${k(_.moveDeal.stageId)}.`})}catch(_){if(_ instanceof W&&_.code==="precondition_failed"){let A="";try{const I=(await on()).deals.find(F=>F.id===m.id);A=I?` It is now in ${k(I.stageId)}.`:" It is no longer open."}catch{}s(new Map),u({kind:"conflict",text:`“${m.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${A} The board now shows the latest state.`}),a.reload()}else u({kind:"conflict",text:ie(_)})}finally{c(null)}}},g=new Map(C.map(m=>[m.id,m]));return t(Q,{title:"Pipeline",actions:p.length>1?t("label",{children:["Pipeline",t("select",{value:y.id,onChange:m=>i(m.currentTarget.value),children:p.map(m=>t("option",{value:m.id,children:m.name},m.id))})]}):void 0,children:[t("div",{"aria-live":"polite",children:d&&t("p",{class:`notice ${d.kind}`,role:d.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:d.text})}),!n&&t("p",{class:"muted small",children:"Your role can see the board but not move deals."}),t("div",{class:"board",children:y.stages.map(m=>{const w=C.filter(h=>h.stageId===m.id),b=new Map;return w.forEach(h=>b.set(h.currency,(b.get(h.currency)??0)+te(h.amount))),t("section",{class:`column${o===m.id?" over":""}`,"aria-label":`Stage ${m.name}`,"data-stage":m.name,onDragOver:h=>{n&&(h.preventDefault(),f(m.id))},onDragLeave:()=>f(null),onDrop:h=>{h.preventDefault(),f(null);const _=g.get(h.dataTransfer?.getData("text/plain")??"");_&&n&&x(_,m.id)},children:[t("h2",{children:[t("span",{children:m.name}),t("span",{class:"muted small",children:[m.probability," %"]})]}),t("p",{class:"muted small",children:[T(w.length)," deals",[...b].map(([h,_])=>` · ${P(_,h)}`).join("")]}),w.map(h=>t("article",{class:"deal",draggable:n,"data-deal":h.title,"aria-busy":v===h.id,onDragStart:_=>_.dataTransfer?.setData("text/plain",h.id),children:[t("strong",{children:h.title}),t("div",{class:"small",children:P(h.amount,h.currency)}),n&&t("label",{class:"move",children:["Move to",t("select",{value:h.stageId,onChange:_=>{x(h,_.currentTarget.value)},"aria-label":`Move ${h.title} to stage`,children:y.stages.map(_=>t("option",{value:_.id,children:_.name},_.id))})]})]},h.id))]},m.id)})})]})}const Et=B(`
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
`),Vt=B(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),Ht=B(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Te=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],ln={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function Me(e){return Te.find(n=>n.name===e)??Te[0]}function jt(e,n){const r=[];for(const i of n){const a=Me(i.field),l=i.value.trim();if(!l)return{problem:`Give a value for “${a.label}”.`};let s=l;if(a.kind==="number"||a.kind==="money"||a.kind==="share"){const d=Number(l);if(!Number.isFinite(d))return{problem:`“${a.label}” needs a number.`};s=a.kind==="money"?Math.round(d*100):a.kind==="share"?d/100:d}r.push({field:a.name,op:i.op,value:s})}return r.length===0?{problem:"Add a condition."}:{rule:{[e]:r}}}function zt({onSaved:e}){const n=Ve(),[r,i]=$("all"),[a,l]=$([{field:"orders_count",op:">=",value:"3"}]),[s,d]=$(""),[u,o]=$({status:"idle"}),[f,v]=$(null),[c,p]=$(null),y=jt(r,a),C=JSON.stringify(y);L(()=>{if(!("rule"in y)){o({status:"error",text:y.problem});return}let g=!1;o(w=>({...w,status:"loading"}));const m=setTimeout(()=>{U(Vt,{rule:y.rule}).then(w=>!g&&o({status:"ok",count:w.previewSegment.count,sample:w.previewSegment.sample}),w=>!g&&o({status:"error",text:ie(w)}))},350);return()=>{g=!0,clearTimeout(m)}},[C]);const k=(g,m)=>l(w=>w.map((b,h)=>{if(h!==g)return b;const _={...b,...m};if(m.field){const A=Me(m.field);_.op=ln[A.kind][0]?.[0]??"=",_.value=A.choices?.[0]??""}return _})),x=async g=>{if(g.preventDefault(),"rule"in y){p(null);try{const m=await U(Ht,{input:{name:s.trim(),rule:y.rule,tracked:!1},key:ye()});v(m.createSegment.name),d(""),e()}catch(m){p(m)}}};return t("article",{class:"card","aria-labelledby":"builder-h",children:[t("h2",{id:"builder-h",children:"Build a segment"}),t("div",{class:"rule",children:[t("label",{children:["Customers matching",t("select",{value:r,onChange:g=>i(g.currentTarget.value==="any"?"any":"all"),children:[t("option",{value:"all",children:"all of these conditions"}),t("option",{value:"any",children:"any of these conditions"})]})]}),a.map((g,m)=>{const w=Me(g.field);return t("fieldset",{class:"condition","aria-label":`Condition ${m+1}`,children:[t("label",{children:["Field",t("select",{value:g.field,onChange:b=>k(m,{field:b.currentTarget.value}),children:Te.map(b=>t("option",{value:b.name,children:b.label},b.name))})]}),t("label",{children:["Comparison",t("select",{value:g.op,onChange:b=>k(m,{op:b.currentTarget.value}),children:ln[w.kind].map(([b,h])=>t("option",{value:b,children:h},b))})]}),t("label",{children:["Value",w.kind==="money"?" (whole units)":"",w.choices?t("select",{value:g.value,onChange:b=>k(m,{value:b.currentTarget.value}),children:w.choices.map(b=>t("option",{value:b,children:b.replace(/_/g," ")},b))}):t("input",{value:g.value,inputMode:w.kind==="text"?"text":"decimal",onInput:b=>k(m,{value:b.currentTarget.value})})]}),a.length>1&&t("button",{type:"button",class:"secondary",onClick:()=>l(b=>b.filter((h,_)=>_!==m)),children:"Remove"})]},m)}),t("div",{class:"row",children:t("button",{type:"button",class:"secondary",onClick:()=>l(g=>[...g,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),t("div",{"aria-live":"polite",class:"preview",children:[u.status==="loading"&&t("p",{class:"muted",children:"Counting…"}),u.status==="ok"&&t(K,{children:[t("p",{class:"count","data-testid":"preview-count",children:[T(u.count??0)," customers match now"]}),(u.sample??[]).length>0&&t("p",{class:"small muted",children:["For example:"," ",(u.sample??[]).map((g,m)=>t("span",{children:[m>0?", ":"",t(H,{href:`/customers/${encodeURIComponent(g.id)}`,children:g.name})]},g.id))]})]}),u.status==="error"&&t("p",{class:"state error",role:"alert",children:u.text})]}),He(n,"segments")&&t("form",{class:"row",onSubmit:g=>{x(g)},children:[t("label",{children:["Segment name",t("input",{required:!0,maxLength:200,value:s,onInput:g=>d(g.currentTarget.value)})]}),t("button",{type:"submit",disabled:!("rule"in y)||!s.trim(),children:"Save segment"})]}),f&&t("p",{class:"notice ok",role:"status",children:["Saved “",f,"”."]}),c!=null&&t(j,{error:c})]})}function Wt(){const e=ee(()=>U(Et),"segments");return t(Q,{title:"Segments",children:t("div",{class:"columns",children:[t("article",{class:"card","aria-labelledby":"saved-h",children:[t("h2",{id:"saved-h",children:"Saved segments"}),e.status==="loading"&&t(G,{what:"segments"}),e.status==="error"&&t(j,{error:e.error,retry:e.reload}),e.status==="ok"&&e.data.segments.nodes.length===0&&t(V,{children:"No segment yet: build one."}),e.status==="ok"&&t("ul",{class:"plain",children:e.data.segments.nodes.map(n=>t("li",{children:[t("strong",{children:n.name}),n.description?t("div",{class:"small muted",children:n.description}):null]},n.id))})]}),t(zt,{onSaved:e.reload})]})})}function Kt(){const[e,n]=$(""),[r,i]=$(""),[a,l]=$(!1),[s,d]=$(null),u=async o=>{o.preventDefault(),l(!0),d(null);try{await Yn(e.trim(),r)}catch(f){d(f),l(!1)}};return t("main",{id:"main",class:"signin",children:t("form",{onSubmit:o=>{u(o)},"aria-labelledby":"signin-title",children:[t("h1",{id:"signin-title",children:"Sign in to Rapport"}),t("label",{children:["E-mail",t("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:e,onInput:o=>n(o.currentTarget.value)})]}),t("label",{children:["Password",t("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:o=>i(o.currentTarget.value)})]}),s!=null&&t("p",{class:"state error",role:"alert",children:ie(s)}),t("button",{type:"submit",disabled:a,children:a?"Signing in…":"Sign in"}),t("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const Qt=B(`
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
`);function Gt(){const e=ee(()=>U(Qt),"value");if(e.status==="loading")return t(G,{what:"value"});if(e.status==="error")return t(j,{error:e.error,retry:e.reload});const{rfmSegments:n,valueDistribution:r,atRiskAccounts:i}=e.data;return t(Q,{title:"Value",children:t("div",{class:"grid",children:[t("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[t("h2",{id:"rfm-grid-h",children:"RFM grid"}),n.scoredAccounts===0?t(V,{children:"No customer is scored yet: fit the value model once there are orders."}):t(K,{children:[t("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",n.scoredAccounts," customers scored",n.breakpointsFittedAt?` on ${J(n.breakpointsFittedAt)}`:"","."]}),t(ft,{cells:n.segments}),t("table",{class:"list","aria-label":"RFM segments",children:[t("thead",{children:t("tr",{children:[t("th",{scope:"col",children:"Segment"}),t("th",{scope:"col",class:"num",children:"Customers"}),t("th",{scope:"col",class:"num",children:"Share"}),t("th",{scope:"col",class:"num",children:"Revenue"}),t("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),t("tbody",{children:n.segments.map(a=>t("tr",{children:[t("td",{children:a.label}),t("td",{class:"num",children:a.accounts}),t("td",{class:"num",children:N(a.shareOfAccounts)}),t("td",{class:"num",children:P(a.revenue,n.currency)}),t("td",{class:"num",children:N(a.shareOfRevenue)})]},a.segment))})]})]})]}),t("article",{class:"card wide","aria-labelledby":"clv-h",children:[t("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?t(V,{children:"No CLV predictions yet."}):t(mt,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(a=>({label:`≥ ${pe(a.lower,r.currency)}`,value:a.customers,text:`${a.customers}`}))})]}),t("article",{class:"card wide","aria-labelledby":"risk-h",children:[t("h2",{id:"risk-h",children:"At risk, by value at risk"}),i.nodes.length===0?t(V,{children:"Nobody is at risk (or the model is not fitted yet)."}):t("table",{class:"list","aria-labelledby":"risk-h",children:[t("thead",{children:t("tr",{children:[t("th",{scope:"col",children:"Customer"}),t("th",{scope:"col",children:"Segment"}),t("th",{scope:"col",children:"Risk"}),t("th",{scope:"col",class:"num",children:"Churn"}),t("th",{scope:"col",class:"num",children:"CLV"}),t("th",{scope:"col",class:"num",children:"Value at risk"})]})}),t("tbody",{children:i.nodes.map(a=>t("tr",{children:[t("td",{children:t(H,{href:`/customers/${encodeURIComponent(a.accountId)}`,children:a.name})}),t("td",{children:M(a.segment)}),t("td",{children:t("span",{class:`band ${a.riskBand}`,children:M(a.riskBand)})}),t("td",{class:"num",children:N(a.churnProbability)}),t("td",{class:"num",children:P(a.clv,n.currency)}),t("td",{class:"num",children:P(a.valueAtRisk,n.currency)})]},a.accountId))})]})]})]})})}const Yt=B(`
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
`),Jt=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"]];function Xt({path:e}){const n=e.split("/").filter(Boolean);switch(n[0]){case void 0:return t(Ut,{});case"customers":return n[1]?t(Dt,{id:decodeURIComponent(n[1])}):t(Nt,{});case"value":return t(Gt,{});case"pipeline":return t(Lt,{});case"segments":return t(Wt,{});case"campaigns":return t(St,{selected:n[1]?decodeURIComponent(n[1]):null});default:return t("section",{class:"page",children:[t("h1",{children:"Not found"}),t("p",{children:["There is no page at this address. ",t(H,{href:"/",children:"Go to the overview"}),"."]})]})}}function Zt({me:e}){const n=vt(),r="/"+(n.split("/").filter(Boolean)[0]??"");return t(Pn.Provider,{value:e,children:[t("a",{class:"skip",href:"#main",children:"Skip to content"}),t("header",{class:"top",children:[t("span",{class:"brand",children:"Rapport"}),t("nav",{"aria-label":"Main",children:t("ul",{children:Jt.map(([i,a])=>t("li",{children:t(H,{href:i,"aria-current":r===i?"page":void 0,children:a})},i))})}),t("span",{class:"who",children:[e.name," · ",e.role," · ",e.workspace,t("button",{type:"button",class:"link",onClick:()=>{An()},children:"Sign out"})]})]}),t("main",{id:"main",children:t(Xt,{path:n})})]})}function er(){const[e,n]=$(Gn()),[r,i]=$(null),[a,l]=$(null);return L(()=>Qn(s=>n(s)),[]),L(()=>{if(!e){i(null);return}l(null),U(Yt).then(s=>{Jn(s.valueSettings.reportingCurrency),i({name:s.me?.name??"API key",email:s.me?.email??"",role:s.me?.role??"viewer",workspace:s.workspace.name,currency:s.valueSettings.reportingCurrency})},s=>l(s))},[e]),e?a?t(j,{error:a,retry:()=>{An()}}):r?t(Zt,{me:r}):t(G,{what:"your workspace"}):t(Kt,{})}const cn=document.getElementById("app");cn&&Fn(t(er,{}),cn);
